package loops

import "time"

// Who starts the goroutine decides the confidence: an exported starter (or
// one named in several places) may run any number of times, one per
// object; an unexported starter called once is setup code that usually
// runs once per process.

type pump struct{ work func() }

func (p *pump) Stop() { p.work = func() {} }

func (p *pump) start() {
	go func() {
		for { // want "polling loop in the goroutine started at line 15 never exits.*process ends$"
			p.work()
			time.Sleep(time.Second)
		}
	}()
}

// start is named twice more: each call leaks one more goroutine.
func newPumps(work func()) (*pump, *pump) {
	a, b := &pump{work}, &pump{work}
	a.start()
	b.start()
	return a, b
}

// Started once by unexported setup code (docker's and containerd's stack
// dump traps have this shape).
type trap struct{ wait, dump func() }

func (t *trap) setupDumpTrap() {
	go func() {
		for { // want "started at line 36 never exits.*\\[low confidence\\]"
			t.wait()
			t.dump()
		}
	}()
}

func NewDaemon(t *trap) *trap {
	t.setupDumpTrap()
	return t
}

// Documented to end with the process (containerd's snapshot syncer): silent.
type syncer struct{ sync func() error }

// start starts the syncer. No stop function is needed: it's fine to let it
// exit with the process.
func (s *syncer) Start() {
	go func() {
		for {
			_ = s.sync()
			time.Sleep(time.Minute)
		}
	}()
}

// A bounded loop before the endless one (cmd/compile's work dispatcher):
// the report names the endless loop, not the range that ends.
type dispatcher struct{ queue chan func(int) }

func (d *dispatcher) Run(n int) {
	go func() {
		ids := make([]int, n)
		for i := range ids {
			ids[i] = i
		}
		for { // want "started at line 68 never exits.*\\[low confidence\\]"
			w := <-d.queue
			w(ids[0])
		}
	}()
}

// vitess' pprofInit: unexported setup code handed once to an init hook;
// its tests call it directly, which does not make the program run it
// twice.
var onInit []func()

func OnInit(f func()) { onInit = append(onInit, f) }

func profileInit(sig chan int, toggle func()) {
	go func() {
		for { // want "started at line 88 never exits.*\\[low confidence\\]"
			<-sig
			toggle()
		}
	}()
}

func registerProfile(sig chan int, toggle func()) {
	OnInit(func() { profileInit(sig, toggle) })
}

// consul's MakeShutdownCh: every call makes a channel and a forwarding
// goroutine that nothing ends.
func MakeShutdownCh(signals chan int) <-chan struct{} {
	resultCh := make(chan struct{})
	go func() {
		for { // want "never exits: no return, break or done-channel case, so the goroutine lives until the process ends$"
			<-signals
			resultCh <- struct{}{}
		}
	}()
	return resultCh
}
