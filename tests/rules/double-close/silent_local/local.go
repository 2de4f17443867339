// Package silent_local: a local variable named close shadows the builtin.
package silent_local

func run(ch chan int) {
	close := func(chan int) {}
	close(ch)
	close(ch)
	for {
		close(ch)
	}
}
