// Upstream: https://github.com/Kuadrant/mcp-gateway/pull/925
// Project: Kuadrant/mcp-gateway (internal/mcp-router)
// Bug: OnConfigChange, registered as a config observer and called from the
// file watcher's goroutine, replaces s.RoutingConfig with a bare pointer
// assignment, while Process, run once per concurrent ext_proc stream,
// reads s.RoutingConfig (hostname, API key, server lookup) with no
// synchronisation: a data race on the config pointer at every reload.
// Kind: race
// Want: GD601
package mcpgateway925

import (
	"context"
	"errors"
	"sync"
)

// MCPServersConfig is the routing configuration the router serves from.
type MCPServersConfig struct {
	MCPGatewayExternalHostname string
	RouterAPIKey               string
	Servers                    map[string]string
}

func (c *MCPServersConfig) GetServerConfigByName(name string) (string, error) {
	if s, ok := c.Servers[name]; ok {
		return s, nil
	}
	return "", errors.New("unknown server " + name)
}

// ExtProcServer is the ext_proc server of the router.
type ExtProcServer struct {
	RoutingConfig *MCPServersConfig
	sessions      sync.Map
}

// OnConfigChange is the config.Observer callback for a reloaded file.
func (s *ExtProcServer) OnConfigChange(_ context.Context, newConfig *MCPServersConfig) {
	s.RoutingConfig = newConfig // BUG: Process reads RoutingConfig concurrently on every stream
}

// Process handles one ext_proc request of a stream.
func (s *ExtProcServer) Process(_ context.Context, tool string) (string, error) {
	host := s.RoutingConfig.MCPGatewayExternalHostname
	server, err := s.RoutingConfig.GetServerConfigByName(tool)
	if err != nil {
		return "", err
	}
	s.sessions.Store(host+"/"+server, s.RoutingConfig.RouterAPIKey)
	return server, nil
}
