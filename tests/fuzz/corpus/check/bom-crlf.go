package p

import "sync"

func f(wg *sync.WaitGroup) {
	go func() { wg.Add(1); defer wg.Done() }()
	wg.Wait() //godark:ignore GD301
}
