package testsonly

func f() {
	x :=
}
