// Upstream: https://github.com/jaegertracing/jaeger/pull/2587 (issue: https://github.com/jaegertracing/jaeger/issues/1314)
// Project: jaegertracing/jaeger
// Bug: Close() takes partitionMapLock and, while holding it, waits on each
// partition's WaitGroup. handleErrors must take partitionMapLock to reach
// its partition's WaitGroup before it can call Done, so Close waits for a
// Done that can never happen (modelled after the PR/issue description).
// Kind: deadlock
// Want: GD406
package jaeger2587

import "sync"

type ConsumerError struct{ Err error }

type PartitionConsumer struct {
	partition int32
	messages  chan []byte
	errors    chan *ConsumerError
}

type partitionState struct {
	wg sync.WaitGroup
	pc *PartitionConsumer
}

type Consumer struct {
	partitionMapLock   sync.Mutex
	partitionIDToState map[int32]*partitionState
}

func (c *Consumer) startPartition(pc *PartitionConsumer) {
	c.partitionMapLock.Lock()
	st := &partitionState{pc: pc}
	st.wg.Add(2)
	c.partitionIDToState[pc.partition] = st
	c.partitionMapLock.Unlock()
	go c.handleMessages(pc)
	go c.handleErrors(pc.partition, pc.errors)
}

func (c *Consumer) handleMessages(pc *PartitionConsumer) {
	c.partitionMapLock.Lock()
	wg := &c.partitionIDToState[pc.partition].wg
	c.partitionMapLock.Unlock()
	defer wg.Done()
	for range pc.messages {
	}
}

func (c *Consumer) handleErrors(partition int32, errChan <-chan *ConsumerError) {
	c.partitionMapLock.Lock() // Close holds partitionMapLock while waiting on wg
	wg := &c.partitionIDToState[partition].wg
	c.partitionMapLock.Unlock()
	defer wg.Done()
	for range errChan {
	}
}

func (c *Consumer) Close() {
	c.partitionMapLock.Lock()
	defer c.partitionMapLock.Unlock()
	for _, st := range c.partitionIDToState {
		close(st.pc.messages)
		close(st.pc.errors)
		st.wg.Wait() // BUG: waits holding partitionMapLock, which handleErrors takes before its Done
	}
}
