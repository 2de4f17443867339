// Upstream: https://github.com/abtreece/confd/issues/487
// Project: abtreece/confd
// Bug: the Consul backend's WatchPrefix spawns a goroutine that calls List
// and sends on the unbuffered respChan. If ctx.Done() or stopChan fires
// first, WatchPrefix returns and the goroutine blocks on the send forever.
// Kind: leak
// Want: GD103
package confd487

import "context"

type watchResponse struct {
	waitIndex uint64
	err       error
}

type kv interface {
	List(prefix string, waitIndex uint64) (uint64, error)
}

type ConsulClient struct {
	client kv
}

func (c *ConsulClient) WatchPrefix(ctx context.Context, prefix string, waitIndex uint64, stopChan chan bool) (uint64, error) {
	respChan := make(chan watchResponse)
	go func() {
		lastIndex, err := c.client.List(prefix, waitIndex)
		respChan <- watchResponse{lastIndex, err} // BUG: no receiver after stop/cancel
	}()
	select {
	case <-ctx.Done():
		return waitIndex, ctx.Err()
	case <-stopChan:
		return waitIndex, nil
	case r := <-respChan:
		return r.waitIndex, r.err
	}
}
