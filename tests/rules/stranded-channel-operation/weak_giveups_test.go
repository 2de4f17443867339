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

func TestCoordinator(t *testing.T) {
	c := &coordinator{handlers: []*handler{newHandler()}}
	c.handlers[0].Submit(1)
	c.close()
}
