package wait_while_locked

import "sync"

// Look-alikes from fresh code (issue 11, second round).

// A channel used as a semaphore (geth's usbwallet commsLock): every
// holder of the token read-locked the state lock before it received the
// token, and sends it back without locking again. Whoever holds the token
// the waiter needs already holds the lock: silent.
type Wallet struct {
	state sync.RWMutex
	comms chan struct{}
	n     int
}

func (w *Wallet) Open() {
	w.state.Lock()
	defer w.state.Unlock()
	w.comms = make(chan struct{}, 1)
	w.comms <- struct{}{} // done before the goroutine exists
	go w.heartbeat()
}

func (w *Wallet) heartbeat() {
	for {
		w.state.RLock()
		<-w.comms
		w.n++
		w.comms <- struct{}{}
		w.state.RUnlock()
	}
}

func (w *Wallet) Derive() int {
	w.state.RLock()
	defer w.state.RUnlock()
	<-w.comms
	n := w.n
	w.comms <- struct{}{}
	return n
}

// The counterpart takes the lock after the receive and then sends: it
// needs the lock before it can give the token back while the waiter holds
// it: reported.
type Wallet2 struct {
	state sync.Mutex
	comms chan struct{}
	n     int
}

func (w *Wallet2) Start() {
	w.comms = make(chan struct{}, 1)
	w.comms <- struct{}{}
	go w.worker()
}

func (w *Wallet2) worker() {
	for {
		<-w.comms
		w.state.Lock()
		w.n++
		w.comms <- struct{}{}
		w.state.Unlock()
	}
}

func (w *Wallet2) Get() int {
	w.state.Lock()
	defer w.state.Unlock()
	<-w.comms // want "this receive from w.comms waits while holding w.state \\(locked at line 70\\), but the goroutine that sends on it \\(round2.go:64\\) must lock w.state first"
	n := w.n
	w.comms <- struct{}{}
	return n
}

// A start barrier (vitess's vtbench): each goroutine calls Done before it
// read-locks the barrier; the Wait under the lock needs only those Dones,
// the Done after the lock belongs to a later Add. The shape cannot tell
// which Done the Wait needs: low.
type Bench struct {
	lock sync.RWMutex
	wg   sync.WaitGroup
	n    int
}

func (b *Bench) loop() {
	b.wg.Done()
	b.lock.RLock()
	b.n++
	b.lock.RUnlock()
	b.wg.Done()
}

func (b *Bench) Start(threads int) {
	b.lock.Lock()
	for i := 0; i < threads; i++ {
		b.wg.Add(1)
		go b.loop()
	}
	b.wg.Wait() // want "this Wait on b.wg waits while holding b.lock \\(locked at line 97\\), but the goroutine that calls Done \\(round2.go:93\\) must lock b.lock first.*\\[low confidence\\]"
	b.wg.Add(threads)
	b.lock.Unlock()
	b.wg.Wait()
}

// Without the Done before the lock: reported.
type Bench2 struct {
	lock sync.RWMutex
	wg   sync.WaitGroup
	n    int
}

func (b *Bench2) loop() {
	b.lock.RLock()
	b.n++
	b.lock.RUnlock()
	b.wg.Done()
}

func (b *Bench2) Start(threads int) {
	b.lock.Lock()
	defer b.lock.Unlock()
	for i := 0; i < threads; i++ {
		b.wg.Add(1)
		go b.loop()
	}
	b.wg.Wait() // want "this Wait on b.wg waits while holding b.lock \\(locked at line 123\\), but the goroutine that calls Done \\(round2.go:119\\) must lock b.lock first"
}

// A handshake (vitess's ExpectQueries and waitForNotification): the
// worker sends only once it sees the request that the waiter's side wrote
// under the lock, and that side holds the lock no more when it receives.
// A second request before the receive would deadlock: low.
type Notifier struct {
	mu     sync.Mutex
	notify chan bool
	want   int
	n      int
}

func (c *Notifier) run() {
	for {
		c.n++
		c.mu.Lock()
		if c.want != 0 && c.n >= c.want {
			c.notify <- true // want "this send on c.notify waits while holding c.mu \\(locked at line 146\\), but the goroutine that receives from it \\(round2.go:165\\) must lock n.mu first.*\\[low confidence\\]"
			c.want = 0
		}
		c.mu.Unlock()
	}
}

func (c *Notifier) Expect(k int) {
	c.mu.Lock()
	c.want = k
	c.mu.Unlock()
}

func StartNotifier() {
	n := &Notifier{notify: make(chan bool)}
	go n.run()
	n.Expect(2)
	<-n.notify
}

// The same without the request: the worker may hold the lock and wait
// for the receive while the other side waits for the lock: reported.
type Notifier2 struct {
	mu     sync.Mutex
	notify chan bool
	n      int
}

func (c *Notifier2) run() {
	for {
		c.mu.Lock()
		c.n++
		if c.n > 2 {
			c.notify <- true // want "this send on c.notify waits while holding c.mu \\(locked at line 178\\), but the goroutine that receives from it \\(round2.go:193\\) must lock n.mu first"
		}
		c.mu.Unlock()
	}
}

func StartNotifier2() {
	n := &Notifier2{notify: make(chan bool)}
	go n.run()
	n.mu.Lock()
	n.n = 0
	n.mu.Unlock()
	<-n.notify
}
