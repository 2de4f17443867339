// Upstream: https://github.com/weaviate/weaviate/issues/4957 (fix: https://github.com/weaviate/weaviate/pull/4959)
// Project: weaviate/weaviate
// Fix: ClassInfo reads m.Class.MultiTenancyConfig directly while it holds
// the read lock instead of calling MultiTenancyConfig(), which re-acquires it.
package fixed

import "sync"

type MultiTenancyConfig struct {
	Enabled              bool
	AutoTenantCreation   bool
	AutoTenantActivation bool
}

type Property struct{ Name string }

type Class struct {
	Class              string
	Properties         []*Property
	MultiTenancyConfig *MultiTenancyConfig
}

type ShardingState struct {
	Physical map[string][]string
}

type ClassInfo struct {
	Exists            bool
	MultiTenancy      MultiTenancyConfig
	ReplicationFactor int
	Tenants           int
	Properties        int
	ClassVersion      uint64
	ShardVersion      uint64
}

type metaClass struct {
	sync.RWMutex
	Class        Class
	ClassVersion uint64
	Sharding     ShardingState
	ShardVersion uint64
}

func (m *metaClass) ClassInfo() (ci ClassInfo) {
	if m == nil {
		return
	}
	m.RLock()
	defer m.RUnlock()
	ci.Exists = true
	ci.Properties = len(m.Class.Properties)
	if m.Class.MultiTenancyConfig != nil {
		ci.MultiTenancy = *m.Class.MultiTenancyConfig
	}
	ci.Tenants = len(m.Sharding.Physical)
	ci.ClassVersion = m.ClassVersion
	ci.ShardVersion = m.ShardVersion
	return ci
}

func (m *metaClass) MultiTenancyConfig() (mc MultiTenancyConfig) {
	if m == nil {
		return
	}
	m.RLock()
	defer m.RUnlock()
	if m.Class.MultiTenancyConfig == nil {
		return
	}
	return *m.Class.MultiTenancyConfig
}

// AddProperty adds properties to the class (a schema update).
func (m *metaClass) AddProperty(v uint64, props ...*Property) error {
	m.Lock()
	defer m.Unlock()
	m.Class.Properties = append(m.Class.Properties, props...)
	m.ClassVersion = v
	return nil
}
