package fixed

import (
	"context"
	"testing"
)

func config(key string) *MCPServersConfig {
	return &MCPServersConfig{MCPGatewayExternalHostname: "mcp.example.com", RouterAPIKey: key,
		Servers: map[string]string{"weather": "weather-svc"}}
}

// A config reload lands while a stream is processing tools/call requests.
func TestReloadDuringProcess(t *testing.T) {
	s := &ExtProcServer{}
	s.RoutingConfig.Store(config("k0"))
	start, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-start
		for i := 0; i < 2000; i++ {
			if _, err := s.Process(context.Background(), "weather"); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	close(start)
	for i := 0; i < 2000; i++ {
		s.OnConfigChange(context.Background(), config("k1"))
	}
	<-done
}
