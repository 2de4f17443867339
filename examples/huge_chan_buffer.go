package darkpatterns

// Pattern: a huge buffered channel (seed, 4.2).
// make allocates the whole buffer at once: 1<<24 int64 slots are 128 MiB the
// moment the channel is made, and a deep queue hides missing backpressure
// (producers never slow down, latency grows with the queue).
// Fix: a small buffer and backpressure, or a bounded worker pool.

func newQueue() chan int64 {
	return make(chan int64, 1<<24) // GD201
}

func newQueueFixed() chan int64 {
	return make(chan int64, 1024)
}
