package shadow

type queue struct{ c chan int }

// A package-level function named make shadows the builtin in this package.
func make(kind string, n int) *queue { return &queue{} }

func build(kind string) *queue {
	return make(kind, 1<<24)
}

// Not valid Go (a type is no argument of a function), but it parses: this
// only checks that a shadowed make is not taken for the builtin.
func build2() {
	_ = make(chan int, 1<<24)
}
