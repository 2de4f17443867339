package loops

func newProber(probe func()) *prober {
	p := &prober{probe: probe}
	go p.loop()
	return p
}
