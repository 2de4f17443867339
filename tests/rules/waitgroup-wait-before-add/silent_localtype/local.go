package silent_localtype

// A local type called WaitGroup is not sync.WaitGroup.
type WaitGroup struct{ n int }

func (w *WaitGroup) Add(n int) { w.n += n }
func (w *WaitGroup) Done()     { w.n-- }
func (w *WaitGroup) Wait()     {}

func run(fs []func()) {
	var wg WaitGroup
	wg.Wait()
	for _, f := range fs {
		wg.Add(1)
		go func(f func()) {
			defer wg.Done()
			f()
		}(f)
	}
}
