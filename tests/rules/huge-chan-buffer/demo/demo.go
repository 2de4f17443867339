package main

import "time"

// vitess' throttler demo: a simulated replication stream in a demo binary,
// deep on purpose.
type replica struct{ replicationStream chan time.Time }

func newReplica() *replica {
	return &replica{
		replicationStream: make(chan time.Time, 1*1024*1024), // want "channel buffer of 1048576 time.Time values reserves 24 MiB.*\\[low confidence\\]"
	}
}

func main() { _ = newReplica() }
