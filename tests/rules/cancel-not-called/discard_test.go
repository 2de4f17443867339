package cancel_not_called

import (
	"context"
	"testing"
	"time"
)

// The context package's own tests discard cancel functions of contexts
// whose deadline passes at once: a test process is short-lived.
func TestDeadlineDiscarded(t *testing.T) {
	c, _ := context.WithTimeout(context.Background(), time.Millisecond) // want "discarded with _.* \[low confidence\]"
	<-c.Done()
}
