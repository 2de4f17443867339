package main

import (
	"net/http"
	"time"
)

func refresh() {}

// Started from main: a worker meant to live as long as the process.
func main() {
	go func() {
		for {
			time.Sleep(time.Minute)
			refresh()
		}
	}()
	http.HandleFunc("/watch", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("id")
		// per request: every request leaves a goroutine behind
		go func() {
			for { // want "never exits.*\\[low confidence\\]"
				time.Sleep(time.Second)
				_ = id
			}
		}()
	})
	_ = http.ListenAndServe(":8080", nil)
}

// A loop in main starts one goroutine per connection: not once per process.
func serve(accept func() (chan string, error)) {
	for {
		c, err := accept()
		if err != nil {
			return
		}
		go func() {
			for { // want "never exits.*\\[low confidence\\]"
				<-c
			}
		}()
	}
}
