package abandoned_sender

// A bounded pool of goroutines with a counter of the ones still to send
// (seaweedfs's runMovesSpreadingTargets): `running++` at each start,
// `running--` after each receive; the function returns only when none is
// outstanding, so no sender is left behind.
func runBounded(jobs []int, limit int, run func(int) error) error {
	results := make(chan error)
	running := 0
	next := 0
	var first error
	for {
		for running < limit && next < len(jobs) {
			j := jobs[next]
			next++
			running++
			go func() {
				results <- run(j)
			}()
		}
		if running == 0 {
			return first
		}
		err := <-results
		running--
		if err != nil && first == nil {
			first = err
		}
	}
}

// The same loop returning at the first error: the other goroutines'
// sends are abandoned.
func runBoundedFailFast(jobs []int, limit int, run func(int) error) error {
	results := make(chan error)
	running := 0
	next := 0
	for {
		for running < limit && next < len(jobs) {
			j := jobs[next]
			next++
			running++
			go func() {
				results <- run(j) // want "this send blocks forever when runBoundedFailFast returns at line 53 when `err != nil` without receiving everything sent on results"
			}()
		}
		if running == 0 {
			return nil
		}
		err := <-results
		running--
		if err != nil {
			return err
		}
	}
}
