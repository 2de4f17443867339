//go:build go1.21 || windows

package buildold

// A disjunction does not fix the version: go.mod's go 1.22 holds.
func SpawnOr(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }()
	}
}
