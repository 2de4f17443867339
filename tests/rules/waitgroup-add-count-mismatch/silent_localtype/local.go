package silent_localtype

// A local type named WaitGroup is not sync.WaitGroup.
type WaitGroup struct{ n int }

func (w *WaitGroup) Add(n int) { w.n += n }
func (w *WaitGroup) Done()     { w.n-- }
func (w *WaitGroup) Wait()     {}

func run(a func()) {
	var wg WaitGroup
	wg.Add(3)
	go func() { defer wg.Done(); a() }()
	wg.Wait()
}

// A group of unknown type.
func unknown(get func() interface {
	Add(int)
	Done()
	Wait()
}, a func()) {
	wg := get()
	wg.Add(3)
	go func() { defer wg.Done(); a() }()
	wg.Wait()
}
