//go:build linux && go1.22

package buildline

// No go.mod, but the file's //go:build line asks for go1.22: per-iteration
// variables.
func Spawn(xs []int, out chan<- int) {
	for _, x := range xs {
		go func() { out <- x }()
	}
}
