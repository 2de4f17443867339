package main

import (
	"fmt"
	"time"
)

// vendor.mod says go 1.24: an unstopped, unreferenced ticker is collected.
func count(n int) {
	t := time.NewTicker(time.Millisecond)
	for i := 0; i < n; i++ {
		<-t.C
	}
}

func main() {
	count(3)
	fmt.Println("done")
}
