package wait_while_locked

import "sync"

// Issue 11, third round (rclone's vfs test): the waiter holds root.mu and
// the goroutine it waits for locks dir.mu. Both are Node.mu, but the
// goroutine reaches the lock through another variable: most likely another
// object, so low confidence. Through the same variable it is high.
type Node struct {
	mu       sync.Mutex
	children map[string]*Node
}

func (n *Node) rename(to string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.children = nil
	_ = to
}

func renameUnderParentLock(root, dir *Node) {
	root.mu.Lock()
	defer root.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		dir.rename("b")
	}()
	<-done // want "this receive from done waits while holding root.mu.*\\[low confidence\\]"
}

func renameSelfUnderLock(dir *Node) {
	dir.mu.Lock()
	defer dir.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		dir.mu.Lock()
		dir.children = nil
		dir.mu.Unlock()
	}()
	<-done // want "this receive from done waits while holding dir.mu \\(locked at line 33\\).*forever$"
}
