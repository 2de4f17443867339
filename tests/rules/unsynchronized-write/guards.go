package unsynchronized_write

import "sync"

// Vitess fk_test: the load goroutine is started under `if withLoad` and
// joined under another `if withLoad`; the path that skips the join is
// infeasible (withLoad never changes), so the next load goroutine does not
// run at the same time.
var loadCounter int
var loadDone = make(chan bool)

type loader struct{ stop chan struct{} }

func (l *loader) simulate() {
	for {
		select {
		case <-l.stop:
			loadDone <- true
			return
		default:
		}
		loadCounter++ // want "loadCounter is written by the goroutine started at line 54 \\(line 22\\) and written here by the goroutine started at line 63"
	}
}

func RunWithLoad(step func()) {
	withLoad := true
	var l *loader
	if withLoad {
		l = &loader{stop: make(chan struct{})}
		go l.simulate()
	}
	step()
	if withLoad {
		close(l.stop)
		<-loadDone
	}
	step()
	if withLoad {
		l = &loader{stop: make(chan struct{})}
		go l.simulate()
		close(l.stop)
		<-loadDone
	}
}

// The guard is reassigned between the ifs: the second if may be skipped
// with the goroutine still running.
func RunWithLoadChanged(step func() bool) {
	withLoad := true
	var l *loader
	if withLoad {
		l = &loader{stop: make(chan struct{})}
		go l.simulate()
	}
	withLoad = step()
	if withLoad {
		close(l.stop)
		<-loadDone
	}
	if withLoad {
		l = &loader{stop: make(chan struct{})}
		go l.simulate()
		close(l.stop)
		<-loadDone
	}
}

// The guarded if uses the variable before its join: that use still races.
func GuardedUseBeforeJoin(load bool, get func() int) int {
	n := 0
	done := make(chan struct{})
	if load {
		go func() {
			n = get()
			close(done)
		}()
	}
	if load {
		_ = n // want "n is written by the goroutine started at line 74 \\(line 75\\) and read here"
		<-done
	}
	return n
}

// Vitess InitShardPrimary: in a range over a map, only the key equal to
// the primary's alias starts the goroutine that writes primaryErr; the
// other keys start goroutines that do not touch it.
func Reparent(tablets map[string]int, primary string, populate func(int) error, initReplica func(int)) error {
	var wgPrimary, wgReplicas sync.WaitGroup
	var primaryErr error
	for alias, tablet := range tablets {
		if alias == primary {
			wgPrimary.Add(1)
			go func(tablet int) {
				defer wgPrimary.Done()
				primaryErr = populate(tablet)
			}(tablet)
		} else {
			wgReplicas.Add(1)
			go func(tablet int) {
				defer wgReplicas.Done()
				initReplica(tablet)
			}(tablet)
		}
	}
	wgPrimary.Wait()
	wgReplicas.Wait()
	return primaryErr
}

// A range over a slice's values: two elements may be equal, so several
// goroutines may write.
func FirstMatch(names []string, want string, check func(string) error) error {
	var wg sync.WaitGroup
	var err error
	for _, name := range names {
		if name == want {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err = check(want) // want "err is written by every goroutine the loop starts at line 120"
			}()
		}
	}
	wg.Wait()
	return err
}

// The value compared changes inside the loop: several keys may match.
func EveryChange(m map[string]int, run func(string) int) int {
	var wg sync.WaitGroup
	last := 0
	cur := ""
	for k := range m {
		if k == cur {
			wg.Add(1)
			go func() {
				defer wg.Done()
				last = run(k) // want "last is written by every goroutine the loop starts at line 138"
			}()
		}
		cur = k
	}
	wg.Wait()
	return last
}
