package p

func f() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	select {}
}
