package p

func f() {
	_ = x
	a, b := f[int](x), m[k](y)
	c := f[int, string]
	d := (*T)(x)
	e := ([]int)(x)
	g := []byte(s)
	h := pkg.T(x)
	i := T{1}
	j := pkg.T{A: 1}
	k := G[int]{}
	l := new(T)
	m2 := make(chan int, 3)
	n := func() {}
	o := interface{}(x)
	p := map[string]int(nil)
	q := x.(T)
	r := <-ch
	s := []int{1, 2}[0]
	t := &T{}
	u := struct{}{}
	v := [...]int{1}
	w := x[1:2:3]
	var y chan<- int
	var z <-chan int
	var zz chan (<-chan int)
}
