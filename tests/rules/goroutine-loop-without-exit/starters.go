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

// vitess' AuthServerVault: the relay goroutine ranges over a ticker of the
// owner, whose close stops the ticker (which does not close ticker.C): the
// goroutine outlives every closed server.
type vaultServer struct {
	ticker  *time.Ticker
	sigChan chan int
}

func (a *vaultServer) close() { a.ticker.Stop() }

func (a *vaultServer) SetTTL(ttl time.Duration) {
	a.ticker = time.NewTicker(ttl)
	go func() {
		for range a.ticker.C { // want "never exits: no return, break or done-channel case, so the goroutine lives until the process ends$"
			a.sigChan <- 1
		}
	}()
}

// vitess' TabletServer.InitACL: the same relay over a ticker and a channel
// local to the starter; it uses nothing of the server, whose Close is not
// meant to end it: a process-lifetime reload timer (the reviewer's call).
type tabletServer struct{ acl string }

func (tsv *tabletServer) Close() {}

func (tsv *tabletServer) InitACL(interval time.Duration) {
	sigChan := make(chan int, 1)
	ticker := time.NewTicker(interval)
	go func() {
		for range ticker.C { // want "never exits.*\\[low confidence\\]"
			sigChan <- 1
		}
	}()
	_ = sigChan
}

// A method returning a channel its goroutine feeds with no end makes one more
// goroutine per call, whether or not the goroutine uses the receiver.
func (tsv *tabletServer) Reloads(interval time.Duration) <-chan int {
	ch := make(chan int, 1)
	ticker := time.NewTicker(interval)
	go func() {
		for range ticker.C { // want "never exits: no return, break or done-channel case, so the goroutine lives until the process ends$"
			ch <- 1
		}
	}()
	return ch
}
