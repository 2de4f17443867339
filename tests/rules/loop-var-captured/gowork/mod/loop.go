package workmod

// No go.mod here; the go.work above says go 1.21.
func Spawn(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }() // want "before Go 1.22 \(go.work says go 1.21\)"
	}
}
