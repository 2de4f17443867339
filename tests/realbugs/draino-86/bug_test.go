package draino86

import (
	"errors"
	"testing"
	"time"
)

type failingDrainer struct{}

func (failingDrainer) Drain(*Node) error { return errors.New("cannot evict pod") }

func (failingDrainer) MarkDrain(*Node, time.Time, time.Time, bool) error { return nil }

// The event handler polls HasSchedule until the scheduled drain has failed.
func TestHasSchedulePolling(t *testing.T) {
	scheduler := NewDrainSchedules(failingDrainer{}, 0)
	node := &Node{Name: "node"}
	if _, err := scheduler.Schedule(node); err != nil {
		t.Fatal(err)
	}
	timeout := time.After(10 * time.Second)
	for {
		has, _, failed := scheduler.HasSchedule(node.Name)
		if !has {
			t.Fatal("missing schedule")
		}
		if failed {
			return
		}
		select {
		case <-timeout:
			t.Fatal("drain never failed")
		default:
		}
	}
}
