// Upstream: https://github.com/planetlabs/draino/pull/86
// Project: planetlabs/draino (internal/kubernetes/drainSchedule.go)
// Fix: the timer callback no longer sets `running` (HasSchedule stops
// returning it; nothing used it) and records a failure with
// atomic.StoreInt32 on an int32 `failed` field, which HasSchedule reads with
// atomic.LoadInt32 through isFailed (commit 49918a3, PR 86). `finish` is only
// touched by the callback.
package fixed

import (
	"errors"
	"sync"
	"sync/atomic"
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
	HasSchedule(name string) (has, failed bool)
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
func (d *DrainSchedules) HasSchedule(name string) (has, failed bool) {
	d.Lock()
	defer d.Unlock()
	sched, ok := d.schedules[name]
	if !ok {
		return false, false
	}
	return true, sched.isFailed()
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
	when   time.Time
	failed int32
	finish time.Time
	timer  *time.Timer
}

func (s *schedule) setFailed() {
	atomic.StoreInt32(&s.failed, 1)
}

func (s *schedule) isFailed() bool {
	return atomic.LoadInt32(&s.failed) == 1
}

func (d *DrainSchedules) newSchedule(node *Node, when time.Time) *schedule {
	sched := &schedule{
		when: when,
	}
	sched.timer = time.AfterFunc(time.Until(when), func() {
		if err := d.drainer.Drain(node); err != nil {
			sched.finish = time.Now()
			sched.setFailed()
			_ = d.drainer.MarkDrain(node, when, sched.finish, true)
			return
		}
		sched.finish = time.Now()
		_ = d.drainer.MarkDrain(node, when, sched.finish, false)
	})
	return sched
}
