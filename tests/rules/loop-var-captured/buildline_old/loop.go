//go:build go1.21

package buildold

// go.mod says go 1.22, but this file's //go:build line sets go1.21: the
// loop variable is shared again.
func Spawn(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }() // want "shares? before Go 1.22 \(the file's //go:build line says go1.21\)"
	}
}
