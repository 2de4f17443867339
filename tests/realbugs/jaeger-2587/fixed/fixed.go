// Upstream: https://github.com/jaegertracing/jaeger/pull/2587 (issue: https://github.com/jaegertracing/jaeger/issues/1314)
// Project: jaegertracing/jaeger
// Fix: per-partition WaitGroups were removed; the handlers use Consumer-scoped
// WaitGroups and Close no longer takes partitionMapLock while waiting.
package fixed

import "sync"

type ConsumerError struct{ Err error }

type PartitionConsumer struct {
	partition int32
	messages  chan []byte
	errors    chan *ConsumerError
}

type Consumer struct {
	partitionMapLock   sync.Mutex
	partitionIDToState map[int32]*PartitionConsumer
	doneWg             sync.WaitGroup
}

func (c *Consumer) startPartition(pc *PartitionConsumer) {
	c.partitionMapLock.Lock()
	c.partitionIDToState[pc.partition] = pc
	c.partitionMapLock.Unlock()
	c.doneWg.Add(2)
	go c.handleMessages(pc)
	go c.handleErrors(pc.partition, pc.errors)
}

func (c *Consumer) handleMessages(pc *PartitionConsumer) {
	defer c.doneWg.Done()
	for range pc.messages {
	}
}

func (c *Consumer) handleErrors(partition int32, errChan <-chan *ConsumerError) {
	defer c.doneWg.Done()
	for range errChan {
	}
}

func (c *Consumer) Close() {
	c.partitionMapLock.Lock()
	for _, pc := range c.partitionIDToState {
		close(pc.messages)
		close(pc.errors)
	}
	c.partitionMapLock.Unlock()
	c.doneWg.Wait()
}
