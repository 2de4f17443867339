package p

func f(a, b int, c string) {}
func g(int, string) (x, y int) {}
func h(a ...int) {}
func (s *S) m(x T[int], y []T) error {}
func i[T any, U interface{ ~int | string }](x T) {}
type L[T any] struct{ next *L[T] }
type A [N]int
type B[N]int
type C = D
func j() {
	a := m[k](x, y)
	b := s.h[k](x)
	c := f[int](x...)
	d := m[i+1](x)
	e := m["a"](x)
	if x == (T{}) {
	}
	for _, v := range []T{a} {
	}
	switch x := y.(type) {
	case nil, int:
	default:
	}
	select {
	case v, ok := <-ch:
	case ch <- 1:
	case <-done:
	}
L:
	for {
		break L
	}
	go func() {}()
	defer f()
	x++
	ch <- v
	x += 2
	var _ = T[int]
}
