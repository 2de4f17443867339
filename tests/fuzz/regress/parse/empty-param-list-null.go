package broken

func f() {
	x :=
}
