// Upstream: https://github.com/Kuadrant/mcp-gateway/pull/925
// Project: Kuadrant/mcp-gateway (internal/mcp-router)
// Fix: RoutingConfig becomes an atomic.Pointer[MCPServersConfig]:
// OnConfigChange stores, and Process loads one snapshot and reads all its
// fields from it (PR 925).
package fixed

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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
	RoutingConfig atomic.Pointer[MCPServersConfig]
	sessions      sync.Map
}

// OnConfigChange is the config.Observer callback for a reloaded file.
func (s *ExtProcServer) OnConfigChange(_ context.Context, newConfig *MCPServersConfig) {
	s.RoutingConfig.Store(newConfig)
}

// Process handles one ext_proc request of a stream.
func (s *ExtProcServer) Process(_ context.Context, tool string) (string, error) {
	routingConfig := s.RoutingConfig.Load()
	host := routingConfig.MCPGatewayExternalHostname
	server, err := routingConfig.GetServerConfigByName(tool)
	if err != nil {
		return "", err
	}
	s.sessions.Store(host+"/"+server, routingConfig.RouterAPIKey)
	return server, nil
}
