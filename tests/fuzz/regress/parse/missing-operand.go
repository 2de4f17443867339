package p

func f() {
	p := new(uint64(3))
	x := 
}
