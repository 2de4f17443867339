package sync_value_copied

// Issue 11, third round (rclone's NewFs): a copy of a value the function
// has just built, before any goroutine exists, copies an unlocked lock that
// nobody else holds: low confidence. After a go statement, or of a value
// received from elsewhere, the copy is reported as before.

import "sync"

type Fs struct {
	mu   sync.Mutex
	root string
}

func (f *Fs) findRoot() error { return nil }

func NewFs(root string) (*Fs, error) {
	f := &Fs{root: root}
	if err := f.findRoot(); err != nil {
		tempF := *f // want "assignment to tempF copies lock value \\*f: Fs contains sync.Mutex.*\\[low confidence\\]"
		tempF.root = "parent"
		if tempF.findRoot() != nil {
			return f, nil
		}
	}
	return f, nil
}

func newFsStarted(root string) *Fs {
	f := new(Fs)
	go f.findRoot()
	g := *f // want "assignment to g copies lock value \\*f: Fs contains sync.Mutex; locking the copy does not exclude holders of the original$"
	_ = g
	return f
}

func cloneFs(f *Fs) Fs {
	c := *f // want "assignment to c copies lock value \\*f: Fs contains sync.Mutex; locking the copy does not exclude holders of the original$"
	return c // want "return copies lock value c"
}
