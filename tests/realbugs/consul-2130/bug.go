// Upstream: https://github.com/hashicorp/consul/pull/2130
// Project: hashicorp/consul
// Bug: getDatacentersByDistance read-locks remoteLock and, still holding it,
// sorts the DCs: sortDatacentersByDistance -> getDatacenterDistance ->
// serfer.GetNodesForDatacenter read-locks remoteLock again, three calls
// down. When the serf event handler asks for the write lock between the two
// RLocks (a WAN member joins), the second RLock queues behind the writer,
// the writer waits for the first RLock: every reader and writer of
// remoteConsuls hangs.
// Kind: deadlock
// Want: GD403
package consul2130

import (
	"sort"
	"sync"
)

type serverParts struct{ Name, Datacenter string }

type Server struct {
	remoteLock    sync.RWMutex
	remoteConsuls map[string][]*serverParts
	coords        map[string]float64
}

// serfer provides the coordinate information we need from the Server.
type serfer interface {
	GetDatacenter() string
	GetCachedCoordinate(node string) (float64, bool)
	GetNodesForDatacenter(dc string) []string
}

type serverSerfer struct{ server *Server }

func (s *serverSerfer) GetDatacenter() string { return "dc1" }

func (s *serverSerfer) GetCachedCoordinate(node string) (float64, bool) {
	c, ok := s.server.coords[node]
	return c, ok
}

func (s *serverSerfer) GetNodesForDatacenter(dc string) []string {
	s.server.remoteLock.RLock()
	defer s.server.remoteLock.RUnlock()
	nodes := make([]string, 0)
	for _, part := range s.server.remoteConsuls[dc] {
		nodes = append(nodes, part.Name)
	}
	return nodes
}

func getDatacenterDistance(s serfer, dc string) float64 {
	if dc == s.GetDatacenter() {
		return 0
	}
	var subvec []float64
	for _, node := range s.GetNodesForDatacenter(dc) {
		if c, ok := s.GetCachedCoordinate(node); ok {
			subvec = append(subvec, c)
		}
	}
	if len(subvec) == 0 {
		return 1e9
	}
	sort.Float64s(subvec)
	return subvec[len(subvec)/2]
}

type datacenterSorter struct {
	Names []string
	Vec   []float64
}

func (n *datacenterSorter) Len() int           { return len(n.Names) }
func (n *datacenterSorter) Less(i, j int) bool { return n.Vec[i] < n.Vec[j] }
func (n *datacenterSorter) Swap(i, j int) {
	n.Names[i], n.Names[j] = n.Names[j], n.Names[i]
	n.Vec[i], n.Vec[j] = n.Vec[j], n.Vec[i]
}

func sortDatacentersByDistance(s serfer, dcs []string) {
	vec := make([]float64, len(dcs))
	for i, dc := range dcs {
		vec[i] = getDatacenterDistance(s, dc)
	}
	sort.Stable(&datacenterSorter{dcs, vec})
}

func (s *Server) getDatacentersByDistance() []string {
	s.remoteLock.RLock()
	defer s.remoteLock.RUnlock()

	var dcs []string
	for dc := range s.remoteConsuls {
		dcs = append(dcs, dc)
	}
	sort.Strings(dcs)

	serfer := serverSerfer{s}
	sortDatacentersByDistance(&serfer, dcs) // BUG: three calls down, GetNodesForDatacenter read-locks remoteLock again
	return dcs
}

// wanNodeJoin is the serf event handler: the writer.
func (s *Server) wanNodeJoin(p *serverParts) {
	s.remoteLock.Lock()
	defer s.remoteLock.Unlock()
	s.remoteConsuls[p.Datacenter] = append(s.remoteConsuls[p.Datacenter], p)
}

func serve(s *Server, joins <-chan *serverParts) {
	go func() {
		for p := range joins {
			s.wanNodeJoin(p)
		}
	}()
	for i := 0; i < 100; i++ {
		_ = s.getDatacentersByDistance()
	}
}
