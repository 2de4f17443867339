package huge_chan_buffer

import (
	"context"
	"sync/atomic"
)

// What the producers do when the buffer is full decides whether a deep
// buffer hides missing backpressure.

type op struct {
	bucket, object string
	size           int64
}

// minio's MRF and transition queues: every send is a select case with a
// default that drops (and counts) when the queue is full. That is the
// bounded queue with an explicit overflow policy the rule asks for: low.
type mrfState struct {
	opCh    chan op
	dropped atomic.Int64
}

func newMRFState() *mrfState {
	return &mrfState{
		opCh: make(chan op, 100000), // want "100000 op values reserves about 3.8 MiB.*\\[low confidence\\]"
	}
}

func (m *mrfState) addPartialOp(o op) {
	select {
	case m.opCh <- o:
	default:
		m.dropped.Add(1)
	}
}

// minio's MRF loader fills the queue it is handed at startup; a plain
// name is not the field: the field's own sends drop.
func (m *mrfState) load(ops []op) {
	fill := func(opCh chan op) {
		for _, o := range ops {
			opCh <- o
		}
	}
	fill(m.opCh)
}

type pool struct {
	ctx     context.Context
	workers []chan op
	saveCh  chan op
}

func newPool(ctx context.Context) *pool {
	p := &pool{ctx: ctx}
	p.saveCh = make(chan op, 100000) // want "100000 op values reserves about 3.8 MiB.*\\[low confidence\\]"
	return p
}

func (p *pool) queueSave(o op) {
	select {
	case <-p.ctx.Done():
	case p.saveCh <- o:
	default:
	}
}

// minio's large workers: the channel is handed to a worker and appended
// to a slice; the sends through the slice drop when full.
func (p *pool) resize(n int) {
	for len(p.workers) < n {
		input := make(chan op, 100000) // want "100000 op values reserves about 3.8 MiB.*\\[low confidence\\]"
		p.workers = append(p.workers, input)
		go p.work(input)
	}
}

func (p *pool) work(in chan op) {
	for range in {
	}
}

// minio's trace handler: the channel is handed to a publisher in another
// package whose sends cannot be seen: whether they block is not known.
func subscribe(ch chan []byte) {}

func trace() {
	traceCh := make(chan []byte, 100000) // want "100000 \\[\\]byte values reserves 2.3 MiB.*\\[low confidence\\]"
	subscribe(traceCh)
}

// ---- the true shape stays high: a producer that blocks ----

// the seed example: 128 MiB the moment the channel is made, whoever sends
func newQueue() chan int64 {
	return make(chan int64, 1<<24) // want "16777216 int64 values reserves 128 MiB[^[]*$"
}

type ingestPool struct {
	queue chan op
}

func newIngestPool() *ingestPool {
	return &ingestPool{queue: make(chan op, 1<<20)} // want "1048576 op values reserves about 40 MiB[^[]*$"
}

func (p *ingestPool) push(o op) { p.queue <- o }

// a blocking send next to a dropping one: some producer blocks
type mixed struct{ ch chan op }

func newMixed() *mixed {
	m := &mixed{}
	m.ch = make(chan op, 200000) // want "200000 op values reserves about 7.6 MiB[^[]*$"
	return m
}

func (m *mixed) tryPush(o op) bool {
	select {
	case m.ch <- o:
		return true
	default:
		return false
	}
}

func (m *mixed) push(o op) { m.ch <- o }
