package fixed

import (
	"fmt"
	"testing"
)

// A progress printer shows the collector while an async crawl runs.
func TestStringDuringCrawl(t *testing.T) {
	c := NewCollector()
	c.Async = true
	c.OnResponse(func(*Response) {})
	start, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-start
		for i := 0; i < 2000; i++ {
			_ = c.String()
		}
	}()
	close(start)
	for i := 0; i < 2000; i++ {
		if err := c.Visit(fmt.Sprintf("http://example.com/%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	c.Wait()
	<-done
}
