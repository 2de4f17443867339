package silent_localtype

// A local type called WaitGroup is not sync.WaitGroup.
type WaitGroup struct{ n int }

func (w *WaitGroup) Add(n int) { w.n += n }
func (w *WaitGroup) Done()     { w.n-- }
func (w *WaitGroup) Wait()     {}

func run(f func()) {
	var wg WaitGroup
	go func() {
		defer wg.Done()
		f()
	}()
	wg.Add(1)
	wg.Wait()
}
