// Upstream: https://github.com/hashicorp/vault/pull/25697
// Project: hashicorp/vault
// Fix: LocalUpdateUserFailedLoginInfo defers the Unlock right after the
// Lock, so the error returns release it too.
package fixed

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
)

type FailedLoginUser struct {
	aliasName     string
	mountAccessor string
}

type FailedLoginInfo struct {
	count               uint
	lastFailedLoginTime int
}

type StorageEntry struct {
	Key   string
	Value []byte
}

type barrier interface {
	Put(ctx context.Context, e *StorageEntry) error
}

type Core struct {
	userFailedLoginInfoLock sync.RWMutex
	userFailedLoginInfo     map[FailedLoginUser]*FailedLoginInfo
	lockoutThreshold        uint
	barrier                 barrier
}

func (c *Core) LocalGetUserFailedLoginInfo(ctx context.Context, userKey FailedLoginUser) *FailedLoginInfo {
	c.userFailedLoginInfoLock.Lock()
	value, exists := c.userFailedLoginInfo[userKey]
	c.userFailedLoginInfoLock.Unlock()
	if exists {
		return value
	}
	return nil
}

func (c *Core) LocalUpdateUserFailedLoginInfo(ctx context.Context, userKey FailedLoginUser, failedLoginInfo *FailedLoginInfo, deleteEntry bool) error {
	c.userFailedLoginInfoLock.Lock()
	defer c.userFailedLoginInfoLock.Unlock()

	if deleteEntry {
		delete(c.userFailedLoginInfo, userKey)
		return nil
	}
	c.userFailedLoginInfo[userKey] = failedLoginInfo
	if failedLoginInfo.count >= c.lockoutThreshold {
		path := fmt.Sprintf("core/login/lockedUsers/%s/%s", userKey.mountAccessor, userKey.aliasName)
		b, err := json.Marshal(failedLoginInfo.lastFailedLoginTime)
		if err != nil {
			return err
		}
		if err := c.barrier.Put(ctx, &StorageEntry{Key: path, Value: b}); err != nil {
			return err
		}
	}
	return nil
}

func (c *Core) failedUserLoginProcess(ctx context.Context, user FailedLoginUser, now int) error {
	info := &FailedLoginInfo{lastFailedLoginTime: now, count: 1}
	if old := c.LocalGetUserFailedLoginInfo(ctx, user); old != nil {
		info.count = old.count + 1
	}
	return c.LocalUpdateUserFailedLoginInfo(ctx, user, info, false)
}
