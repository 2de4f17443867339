package stranded

import "testing"

func TestMarket(t *testing.T) {
	m := newMarket()
	m.Add(1)
	m.shutdownMarket()
}

func TestPlugin(t *testing.T) {
	p := newPlugin()
	p.Reconfigure(1)
	p.Stop()
}
