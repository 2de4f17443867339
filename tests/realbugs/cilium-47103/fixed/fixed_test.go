package fixed

import "testing"

// The API sets endpoint properties while the endpoint regenerates.
func TestRegenerateWhileSettingProperties(t *testing.T) {
	e := NewEndpoint()
	start, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		<-start
		for i := 0; i < 2000; i++ {
			e.SetPropertyValue("property-"+string(rune('a'+i%8)), i%2 == 0)
		}
	}()
	close(start)
	for i := 0; i < 2000; i++ {
		e.regenerateBPF(&regenerationContext{datapathRegenerationContext: &datapathRegenerationContext{}})
	}
	<-done
}
