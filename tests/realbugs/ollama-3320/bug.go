// Upstream: https://github.com/ollama/ollama/pull/3320 (fix: https://github.com/ollama/ollama/commit/be95d41847e12a0833c928bce2703193a1eb6e9c)
// Project: ollama/ollama (llm/payload_common.go)
// Bug: extractDynamicLibs extracts every embedded server library in its own
// errgroup goroutine, and each goroutine appends the library's path to the
// function's `libs` slice with no lock: concurrent appends race on the
// slice header (and can lose paths). errgroup.Group is modelled by a
// minimal local group with the same Go/Wait (std only here).
// Kind: race
// Want: GD601
package ollama3320

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// errGroup is golang.org/x/sync/errgroup.Group, cut down.
type errGroup struct {
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
}

func (g *errGroup) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.errOnce.Do(func() { g.err = err })
		}
	}()
}

func (g *errGroup) Wait() error {
	g.wg.Wait()
	return g.err
}

const pathComponentCount = 7

var (
	libEmbed       fs.FS
	payloadMissing = errors.New("expected dynamic library payloads not included in this build of ollama")
)

func extractDynamicLibs(payloadsDir, glob string) ([]string, error) {
	files, err := fs.Glob(libEmbed, glob)
	if err != nil || len(files) == 0 {
		return nil, payloadMissing
	}
	libs := []string{}

	g := new(errGroup)
	for _, file := range files {
		pathComps := strings.Split(file, "/")
		if len(pathComps) != pathComponentCount {
			slog.Error(fmt.Sprintf("unexpected payload components: %v", pathComps))
			continue
		}

		file := file
		g.Go(func() error {
			// llama.cpp/build/$OS/$GOARCH/$VARIANT/lib/$LIBRARY
			// Include the variant in the path to avoid conflicts between multiple server libs
			targetDir := filepath.Join(payloadsDir, pathComps[pathComponentCount-3])
			srcFile, err := libEmbed.Open(file)
			if err != nil {
				return fmt.Errorf("read payload %s: %v", file, err)
			}
			defer srcFile.Close()
			if err := os.MkdirAll(targetDir, 0o755); err != nil {
				return fmt.Errorf("create payload lib dir %s: %v", payloadsDir, err)
			}

			destFile := filepath.Join(targetDir, filepath.Base(file))
			if strings.Contains(destFile, "server") {
				libs = append(libs, destFile) // BUG: every extraction goroutine appends to the same slice
			}

			destFp, err := os.OpenFile(destFile, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
			if err != nil {
				return fmt.Errorf("write payload %s: %v", file, err)
			}
			defer destFp.Close()
			if _, err := io.Copy(destFp, srcFile); err != nil {
				return fmt.Errorf("copy payload %s: %v", file, err)
			}
			return nil
		})
	}
	err = g.Wait()
	if err != nil {
		return nil, err
	}
	return libs, nil
}
