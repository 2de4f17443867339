package main

// select {} parks main: the idiom.
func main() {
	go serve()
	select {}
}

func serve() {}
