package a

func Send(ch chan int) {
	ch <- 1
}
