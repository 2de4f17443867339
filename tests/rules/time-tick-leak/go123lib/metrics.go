package metrics

import "time"

// From Go 1.23 the ticker is collected once unreferenced, if the main module
// also says go >= 1.23: low confidence in a library.
func Sample(n int, read func() float64) []float64 {
	var out []float64
	for range time.Tick(time.Second) { // want "go.mod says go 1.23, so it is collected once unreferenced if the main module also says go >= 1.23"
		out = append(out, read())
		if len(out) == n {
			return out
		}
	}
	return out
}
