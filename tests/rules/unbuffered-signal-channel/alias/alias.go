package alias

import (
	sys "os"
	sig "os/signal"
)

func aliased() {
	c := make(chan sys.Signal)
	sig.Notify(c, sys.Interrupt) // want "signal.Notify with unbuffered channel c"
	<-c
}

func aliasedInline() {
	sig.Notify(make(chan sys.Signal), sys.Interrupt)
}

// A local type named signal: not os/signal.
type notifier struct{}

func (notifier) Notify(c chan<- sys.Signal, s ...sys.Signal) {}

func shadowed() {
	signal := notifier{}
	c := make(chan sys.Signal)
	signal.Notify(c, sys.Interrupt)
}
