package huge_chan_buffer

// A local function named make shadows the builtin.
func shadowed() {
	make := func(t interface{}, n int) chan int { return nil }
	_ = make(nil, 1<<20)
}
