// A program before Go 1.23: time.Tick in functions main runs once, or that
// only an interface dispatch reaches, or that run per request.
package main

import (
	"fmt"
	"net/http"
	"os"
	"time"
)

type command interface{ run(args []string) }

type bench struct{ minutes int }

// Reached only through the command interface: main runs one command per
// process, but the package does not say so: low.
func (b *bench) run(args []string) {
	stop := time.Tick(time.Duration(b.minutes) * time.Minute) // want "time.Tick in a function that returns.*\\[low confidence\\]"
	<-stop
	report(args)
}

type version struct{}

func (version) run(args []string) { fmt.Println("v1") }

// Called once, from main only: one ticker for the program, silent.
func warmUp() {
	for range time.Tick(time.Second) {
		if ready() {
			return
		}
	}
}

// Called from a request handler: every request leaks a ticker.
func waitReady() {
	for range time.Tick(time.Second) { // want "time.Tick in a function that returns: its ticker can never be stopped; go.mod says go 1.20"
		if ready() {
			return
		}
	}
}

func ready() bool { return true }

func report(args []string) { fmt.Println(args) }

func main() {
	cmds := map[string]command{"bench": &bench{minutes: 1}, "version": version{}}
	warmUp()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		waitReady()
	})
	cmds[os.Args[1]].run(os.Args[2:])
}
