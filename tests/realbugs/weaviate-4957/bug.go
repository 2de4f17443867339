// Upstream: https://github.com/weaviate/weaviate/issues/4957 (fix: https://github.com/weaviate/weaviate/pull/4959)
// Project: weaviate/weaviate
// Bug: metaClass.ClassInfo takes the class's read lock (deferred unlock) and
// calls m.MultiTenancyConfig(), which takes the read lock again. When a
// schema update (AddProperty, Lock) arrives between the two RLocks, the
// writer waits for the first reader and the second RLock waits behind the
// writer (RWMutex is write-preferring): both wait forever. The BUG marker
// is on the call made under the read lock (where it is reported); the RLock
// that blocks is in MultiTenancyConfig.
// Kind: deadlock
// Want: GD403
package weaviate4957

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
	ci.MultiTenancy = m.MultiTenancyConfig() // BUG: called holding the read lock; MultiTenancyConfig read-locks again, and a waiting AddProperty blocks it
	ci.Tenants = len(m.Sharding.Physical)
	ci.ClassVersion = m.ClassVersion
	ci.ShardVersion = m.ShardVersion
	return ci
}

func (m *metaClass) MultiTenancyConfig() (mc MultiTenancyConfig) {
	if m == nil {
		return
	}
	m.RLock() // blocks when a writer waits: ClassInfo already holds a read lock
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
