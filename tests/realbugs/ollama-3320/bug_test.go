package ollama3320

import (
	"fmt"
	"testing"
	"testing/fstest"
)

func TestExtractDynamicLibs(t *testing.T) {
	payloads := fstest.MapFS{}
	for i := 0; i < 32; i++ {
		payloads[fmt.Sprintf("llama.cpp/build/linux/amd64/variant%d/lib/ollama_llama_server", i)] = &fstest.MapFile{Data: []byte("ELF")}
	}
	libEmbed = payloads
	for round := 0; round < 5; round++ {
		libs, err := extractDynamicLibs(t.TempDir(), "llama.cpp/build/linux/*/*/lib/*")
		if err != nil {
			t.Fatal(err)
		}
		_ = libs
	}
}
