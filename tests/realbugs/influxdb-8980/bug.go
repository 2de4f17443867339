// Upstream: https://github.com/influxdata/influxdb/pull/8980 (issue: https://github.com/influxdata/influxdb/issues/8780)
// Project: influxdata/influxdb
// Bug: the collectd service's Close takes s.mu and, still holding it, stops
// the batcher and waits for the writePoints goroutine. Stopping the batcher
// can hand back one last batch; writePoints takes it and calls
// createInternalStorage, which takes s.mu.RLock, so the goroutine never
// reaches wg.Done and Close waits forever (same in graphite, opentsdb, udp).
// Kind: deadlock
// Want: GD406
package influxdb8980

import (
	"errors"
	"net"
	"sync"
)

type Point struct{ Name string }

type PointBatcher struct {
	in   chan Point
	out  chan []Point
	stop chan struct{}
	wg   sync.WaitGroup
}

func NewPointBatcher() *PointBatcher {
	return &PointBatcher{in: make(chan Point), out: make(chan []Point), stop: make(chan struct{})}
}

// Start batches points from in and emits them on out; on stop the pending
// batch is flushed to out.
func (b *PointBatcher) Start() {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		var batch []Point
		for {
			select {
			case <-b.stop:
				if len(batch) > 0 {
					b.out <- batch
				}
				return
			case p := <-b.in:
				batch = append(batch, p)
				if len(batch) >= 100 {
					b.out <- batch
					batch = nil
				}
			}
		}
	}()
}

func (b *PointBatcher) Stop() {
	close(b.stop)
}

func (b *PointBatcher) Out() <-chan []Point { return b.out }

type Config struct {
	Database        string
	RetentionPolicy string
}

type metaClient interface {
	CreateDatabase(name string) error
}

type pointsWriter interface {
	WritePointsPrivileged(database, retentionPolicy string, points []Point) error
}

// Service represents a UDP server which receives metrics in collectd's
// binary protocol and stores them in InfluxDB.
type Service struct {
	Config       *Config
	MetaClient   metaClient
	PointsWriter pointsWriter

	wg      sync.WaitGroup
	conn    *net.UDPConn
	batcher *PointBatcher
	ready   bool // Has the required database been created?

	mu   sync.RWMutex
	done chan struct{}
}

func (s *Service) closed() bool {
	select {
	case <-s.done:
		return true
	default:
	}
	return s.done == nil
}

// Open starts the service.
func (s *Service) Open() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed() {
		return nil
	}
	s.done = make(chan struct{})
	s.batcher = NewPointBatcher()
	s.batcher.Start()
	s.wg.Add(1)
	go s.writePoints()
	return nil
}

// Close stops the service.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed() {
		return nil
	}
	close(s.done)
	if s.conn != nil {
		s.conn.Close()
	}
	if s.batcher != nil {
		s.batcher.Stop()
	}
	s.wg.Wait() // BUG: waits for writePoints holding s.mu; writePoints takes s.mu.RLock in createInternalStorage
	s.done = nil
	s.conn = nil
	s.batcher = nil
	return nil
}

// createInternalStorage ensures that the required database has been created.
func (s *Service) createInternalStorage() error {
	s.mu.RLock()
	ready := s.ready
	s.mu.RUnlock()
	if ready {
		return nil
	}
	if err := s.MetaClient.CreateDatabase(s.Config.Database); err != nil {
		return err
	}
	s.mu.Lock()
	s.ready = true
	s.mu.Unlock()
	return nil
}

func (s *Service) writePoints() {
	defer s.wg.Done()
	for {
		select {
		case <-s.done:
			return
		case batch := <-s.batcher.Out():
			// Will attempt to create database if not yet created.
			if err := s.createInternalStorage(); err != nil {
				continue
			}
			if err := s.PointsWriter.WritePointsPrivileged(s.Config.Database, s.Config.RetentionPolicy, batch); err != nil {
				_ = errors.Unwrap(err)
			}
		}
	}
}
