package unsynchronized_write

// A constructor starts the object's goroutine, so an exported method runs
// while it does (medium). Not when the package shows the method runs
// before or apart from the goroutine: low.

import "time"

type Dashboard struct {
	manager *dashManager
	cached  []string
	limit   int
	sink    func(string)
	updated time.Time
	flushed bool
}

type dashManager struct{ name string }

func NewDashboard(withManager bool) *Dashboard {
	d := &Dashboard{sink: func(string) {}}
	// the only call of InitManager: before the goroutine exists
	if withManager {
		d.InitManager("main")
	}
	go d.publish()
	return d
}

func (d *Dashboard) publish() {
	for {
		if d.manager != nil {
			d.sink(d.manager.name)
		}
		d.sink(d.cached[0])
		if time.Since(d.updated) > time.Second && d.limit > 0 {
			d.flushed = true
		}
		time.Sleep(time.Second)
	}
}

// Only called by the constructor, before `go d.publish()`.
func (d *Dashboard) InitManager(name string) {
	d.manager = &dashManager{name: name} // want "d.manager is written here while a goroutine of the package reads it .*NewDashboard starts the goroutine as it makes the Dashboard.*\\[low confidence\\]"
}

// Nothing in the package calls it, not even a test: API for other
// packages, which call it while the goroutine runs (gouroboros's
// RegisterProtocol): medium.
func (d *Dashboard) InvalidateCached() {
	d.cached = nil // want "d.cached is written here while a goroutine of the package reads it .*NewDashboard starts the goroutine.*data race$"
}

// A test hook, on whatever value the test made.
func (d *Dashboard) SetSinkForTest(f func(string)) {
	d.sink = f // want "d.sink is written here while a goroutine of the package reads it .*\\[low confidence\\]"
}

// Look-alike: called by other code of the package (Reload), which runs
// while the goroutine does: medium.
func (d *Dashboard) SetLimit(n int) {
	d.limit = n // want "d.limit is written here while a goroutine of the package reads it .*NewDashboard starts the goroutine as it makes the Dashboard, so an exported method runs while it does, so this is a data race$"
}

func (d *Dashboard) Reload() { d.SetLimit(5) }

// Look-alike: a getter nothing in the package calls, polled by other
// packages while the goroutine writes: medium.
func (d *Dashboard) IsFlushed() bool {
	return d.flushed // want "d.flushed is read here while a goroutine of the package writes it .*so an exported method runs while it does, so this is a data race$"
}
