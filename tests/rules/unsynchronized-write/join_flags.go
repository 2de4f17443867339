package unsynchronized_write

import (
	"bufio"
	"context"
	"io"
	"strings"
)

// `ready` is true only when the select received from done, which the
// goroutine sends on after its writes; on the timeout path it stays
// false and && never reads started.
func waitReady(ctx context.Context, r io.Reader) bool {
	done := make(chan bool, 1)
	started := false
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "start") {
				started = true
			}
			if strings.Contains(sc.Text(), "ready") {
				done <- true
				return
			}
		}
		done <- false
	}()
	ready := false
	select {
	case ok := <-done:
		ready = ok
	case <-ctx.Done():
	}
	return ready && started
}

// The same behind `if ready {...}`.
func waitReadyIf(ctx context.Context, r io.Reader) int {
	done := make(chan struct{})
	count := 0
	go func() {
		b, _ := io.ReadAll(r)
		count = len(b)
		close(done)
	}()
	var ready bool
	select {
	case <-done:
		ready = true
	case <-ctx.Done():
	}
	if ready {
		return count
	}
	return -1
}

// Look-alike: the timeout case sets the flag too, so the read runs
// while the goroutine may still write.
func waitReadyAnyway(ctx context.Context, r io.Reader) bool {
	done := make(chan bool, 1)
	started := false
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "start") {
				started = true
			}
		}
		done <- true
	}()
	ready := false
	select {
	case <-done:
		ready = true
	case <-ctx.Done():
		ready = true
	}
	return ready && started // want "started is written by the goroutine started at line [0-9]+ \\(line [0-9]+\\) and read here by the spawner after the spawn, with no lock or join in between"
}

// Look-alike: the flag starts out true.
func waitReadyPreset(ctx context.Context, r io.Reader) bool {
	done := make(chan bool, 1)
	started := false
	go func() {
		b, _ := io.ReadAll(r)
		started = len(b) > 0
		done <- true
	}()
	ready := true
	select {
	case ok := <-done:
		ready = ok
	case <-ctx.Done():
	}
	return ready && started // want "started is written by the goroutine started at line [0-9]+ \\(line [0-9]+\\) and read here by the spawner after the spawn"
}
