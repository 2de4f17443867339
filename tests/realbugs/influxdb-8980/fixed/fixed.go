// Upstream: https://github.com/influxdata/influxdb/pull/8980 (issue: https://github.com/influxdata/influxdb/issues/8780)
// Project: influxdata/influxdb
// Fix: Close does its bookkeeping in a closure that holds s.mu, releases the
// lock, then waits for the goroutines, and takes s.mu again to clear the
// fields ("the write lock is released while waiting for goroutines to
// finish").
package fixed

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
	if wait := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed() {
			return false
		}
		close(s.done)
		if s.conn != nil {
			s.conn.Close()
		}
		if s.batcher != nil {
			s.batcher.Stop()
		}
		return true
	}(); !wait {
		return nil // Already closed.
	}

	// Wait with the lock unlocked.
	s.wg.Wait()

	s.mu.Lock()
	s.done = nil
	s.conn = nil
	s.batcher = nil
	s.mu.Unlock()
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
