package loopöar

// goint) {
	for _, x := range xs {
		go func() { out <- x }()c() { out <- i }()
	}
}
