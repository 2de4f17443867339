// Upstream: https://github.com/planetlabs/draino/pull/86
// Project: planetlabs/draino (internal/kubernetes/drainSchedule.go)
// Bug: Schedule records a schedule for the node and newSchedule arms it with
// time.AfterFunc. The timer callback, a closure over sched built in
// newSchedule, runs on the timer's own goroutine and sets sched.running and,
// when the drain fails, sched.failed and sched.finish, holding no lock. The
// node event handler meanwhile polls HasSchedule, which reads
// sched.running and sched.failed under the DrainSchedules mutex that the
// callback never takes: `go test -race` reported the write in the
// newSchedule.func1 callback against the read in HasSchedule.
// Kind: race
// Want: none (why: the writer is a func literal passed to time.AfterFunc in unexported newSchedule (called by exported Schedule with d's mutex held; the literal runs later, on the timer goroutine, without it) writing sched.running/failed/finish through the captured local *schedule that Schedule also stores in d.schedules; exported HasSchedule reads the same fields of d.schedules[name] under d's mutex; GD604/GD601 would need fields of a *schedule reached two ways (captured local, map element) as one family: even with `go func(){...}()` in place of AfterFunc godark stays silent)
package draino86

import (
	"errors"
	"sync"
	"time"
)

// Node stands in for the Kubernetes node object; only its name matters here.
type Node struct{ Name string }

func (n *Node) GetName() string { return n.Name }

// Drainer drains a node and records the outcome on it.
type Drainer interface {
	Drain(n *Node) error
	MarkDrain(n *Node, when, finish time.Time, failed bool) error
}

type DrainScheduler interface {
	HasSchedule(name string) (has, running, failed bool)
	Schedule(node *Node) (time.Time, error)
	DeleteSchedule(name string)
}

type DrainSchedules struct {
	sync.Mutex
	schedules map[string]*schedule

	lastDrainScheduledFor time.Time
	period                time.Duration

	drainer Drainer
}

func NewDrainSchedules(drainer Drainer, period time.Duration) DrainScheduler {
	return &DrainSchedules{
		schedules: map[string]*schedule{},
		period:    period,
		drainer:   drainer,
	}
}

// HasSchedule is polled by the node event handler.
func (d *DrainSchedules) HasSchedule(name string) (has, running, failed bool) {
	d.Lock()
	defer d.Unlock()
	sched, ok := d.schedules[name]
	if !ok {
		return false, false, false
	}
	return true, sched.running, sched.failed
}

func (d *DrainSchedules) DeleteSchedule(name string) {
	d.Lock()
	defer d.Unlock()
	if s, ok := d.schedules[name]; ok {
		s.timer.Stop()
	}
	delete(d.schedules, name)
}

func (d *DrainSchedules) whenNextSchedule() time.Time {
	when := d.lastDrainScheduledFor.Add(d.period)
	if now := time.Now(); when.Before(now) {
		when = now
	}
	return when
}

var errAlreadyScheduled = errors.New("drain schedule is already planned for that node")

func (d *DrainSchedules) Schedule(node *Node) (time.Time, error) {
	d.Lock()
	if sched, ok := d.schedules[node.GetName()]; ok {
		d.Unlock()
		return sched.when, errAlreadyScheduled
	}
	when := d.whenNextSchedule()
	d.lastDrainScheduledFor = when
	d.schedules[node.GetName()] = d.newSchedule(node, when)
	d.Unlock()

	if err := d.drainer.MarkDrain(node, when, time.Time{}, false); err != nil {
		d.DeleteSchedule(node.GetName())
		return time.Time{}, err
	}
	return when, nil
}

type schedule struct {
	when    time.Time
	running bool
	failed  bool
	finish  time.Time
	timer   *time.Timer
}

func (d *DrainSchedules) newSchedule(node *Node, when time.Time) *schedule {
	sched := &schedule{
		when: when,
	}
	sched.timer = time.AfterFunc(time.Until(when), func() {
		sched.running = true // BUG: timer goroutine, no lock; HasSchedule reads running and failed under d's mutex
		if err := d.drainer.Drain(node); err != nil {
			sched.finish = time.Now()
			sched.failed = true
			_ = d.drainer.MarkDrain(node, when, sched.finish, true)
			return
		}
		sched.finish = time.Now()
		_ = d.drainer.MarkDrain(node, when, sched.finish, false)
	})
	return sched
}
