package metrics

import "time"

type Gauge struct{ v float64 }

func (g *Gauge) Set(v float64) { g.v = v }

// Samples n times, once per interval: each call leaks a ticker.
func Sample(g *Gauge, n int, read func() float64) {
	i := 0
	for range time.Tick(time.Second) { // want "go.mod says go 1.20: an unstopped ticker is never garbage collected and keeps firing, so every call leaks one"
		g.Set(read())
		i++
		if i == n {
			return
		}
	}
}

// Silent: runs forever.
func Run(g *Gauge, read func() float64) {
	for range time.Tick(time.Second) {
		g.Set(read())
	}
}
