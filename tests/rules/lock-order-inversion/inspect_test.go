package lock_order

// A test helper that takes two locks in the other order than the
// package's code (nats-server's mqtt test, docker's getSvcRecords): it
// usually inspects an idle object, so the inversion is low confidence.

func pendingOf(c *Conn) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sess
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending
}
