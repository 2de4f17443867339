package abandoned_sender

// Goroutines started by a loop over a composite literal: the literal's
// length is the number of senders (nsq's TestMultipleConsumerV2).

func fetchOne(name string) string { return name }

// Two senders, two receives: every send is received.
func bothChannels() (string, string) {
	ch := make(chan string)
	for _, name := range []string{"ch1", "ch2"} {
		go func(n string) {
			ch <- fetchOne(n)
		}(name)
	}
	a := <-ch
	b := <-ch
	return a, b
}

// Three senders, two receives: the third send blocks forever.
func twoOfThree() (string, string) {
	ch := make(chan string)
	for _, name := range []string{"a", "b", "c"} {
		go func(n string) {
			ch <- fetchOne(n) // want "this send blocks forever when twoOfThree returns.*without receiving everything sent on ch"
		}(name)
	}
	a := <-ch
	b := <-ch
	return a, b
}
