package loopvar

// go.mod says go 1.22: each iteration has its own variable.
func Spawn(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }()
	}
	for i := 0; i < 3; i++ {
		go func() { out <- i }()
	}
}
