// Upstream: https://github.com/abtreece/confd/issues/487
// Project: abtreece/confd
// Fix: the suggested fix: respChan is buffered, so the List
// goroutine can always complete its send and exit.
package fixed

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
	respChan := make(chan watchResponse, 1)
	go func() {
		lastIndex, err := c.client.List(prefix, waitIndex)
		respChan <- watchResponse{lastIndex, err}
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
