package main

import (
	"os"
	"os/signal"
	"syscall"
)

// Ported from staticcheck SA1017's and go vet sigchanyzer's expected
// sites, rewritten.

var (
	hupCh  = make(chan os.Signal)
	quitCh = make(chan os.Signal, 1)
)

func unbufferedLocal() {
	stop := make(chan os.Signal)
	signal.Notify(stop, os.Interrupt) // want "signal.Notify with unbuffered channel stop"
	<-stop
}

func bufferedLocal() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}

func zeroBuffer() {
	stop := make(chan os.Signal, 0)
	signal.Notify(stop, syscall.SIGTERM) // want "unbuffered channel stop"
	<-stop
}

// Either channel may arrive: unknown, silent.
func chosen(pick bool) {
	a := make(chan os.Signal)
	b := make(chan os.Signal, 1)
	c := a
	if pick {
		c = b
	}
	signal.Notify(c, os.Interrupt)
	<-c
}

// Made unbuffered, then replaced by a buffered one before use.
func remade() {
	c := make(chan os.Signal)
	c = make(chan os.Signal, 2)
	signal.Notify(c, os.Interrupt)
	<-c
}

// A package variable made without a buffer.
func pkgVar() {
	signal.Notify(hupCh, syscall.SIGHUP) // want "unbuffered channel hupCh \\(a package variable"
}

func pkgVarBuffered() {
	signal.Notify(quitCh, syscall.SIGQUIT)
}

// signal.Notify held in a local.
func throughLocal() {
	ch := make(chan os.Signal)
	notify := signal.Notify
	notify(ch, os.Interrupt) // want "unbuffered channel ch"
	<-ch
}

// A channel nothing can read from: not judged (vet's exception).
func inline() {
	signal.Notify(make(chan os.Signal), os.Interrupt)
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
}

// A parameter: its buffer is the caller's business.
func param(c chan os.Signal) {
	signal.Notify(c, os.Interrupt)
}

// A field of the package's type, made in the constructor.
type daemon struct {
	sigs  chan os.Signal
	other chan os.Signal
}

func newDaemon() *daemon {
	return &daemon{sigs: make(chan os.Signal), other: make(chan os.Signal, 1)}
}

func (d *daemon) run() {
	signal.Notify(d.sigs, syscall.SIGTERM) // want "unbuffered channel d.sigs \\(a field set"
	signal.Notify(d.other, syscall.SIGTERM)
	<-d.sigs
}

// One constructor fills the field by position with a buffered channel:
// not every value is unbuffered, silent.
type watcher struct{ sig chan os.Signal }

func newWatcher(quiet bool) *watcher {
	if quiet {
		return &watcher{make(chan os.Signal, 1)}
	}
	return &watcher{sig: make(chan os.Signal)}
}

func (w *watcher) watch() {
	signal.Notify(w.sig, os.Interrupt)
	<-w.sig
}

// An exported field of an exported type: other packages may set it.
type Service struct{ Signals chan os.Signal }

func NewService() *Service { return &Service{Signals: make(chan os.Signal)} }

func (s *Service) Serve() {
	signal.Notify(s.Signals, os.Interrupt)
	<-s.Signals
}

// Assigned in the method itself.
type runner struct{ sig chan os.Signal }

func (r *runner) run() {
	r.sig = make(chan os.Signal)
	signal.Notify(r.sig, os.Interrupt) // want "unbuffered channel r.sig"
	<-r.sig
}

func main() {}
