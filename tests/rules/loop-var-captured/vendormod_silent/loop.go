package vendored

// No go.mod, but vendor.mod says go 1.24: each iteration has its own variable.
func Spawn(xs []int, out chan<- int) {
	for i := 0; i < len(xs); i++ {
		go func() { out <- xs[i] }()
	}
}
