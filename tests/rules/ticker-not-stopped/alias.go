package ticker_not_stopped

import tm "time"

func aliased(n int) {
	t := tm.NewTicker(tm.Second) // want "ticker t is never stopped"
	for i := 0; i < n; i++ {
		<-t.C
	}
}
