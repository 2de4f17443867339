// Upstream: https://github.com/hashicorp/vault/pull/25697
// Project: hashicorp/vault
// Bug: LocalUpdateUserFailedLoginInfo locks userFailedLoginInfoLock and
// unlocks it at the end, but when a user reaches the lockout threshold and
// encoding or persisting the locked-user entry fails, it returns the error
// with the lock still held. The next failed (or successful) login of any
// user blocks on the lock forever.
// Kind: deadlock
// Want: GD402
package vault25697

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

// LocalGetUserFailedLoginInfo gets the failed login information for a user.
func (c *Core) LocalGetUserFailedLoginInfo(ctx context.Context, userKey FailedLoginUser) *FailedLoginInfo {
	c.userFailedLoginInfoLock.Lock()
	value, exists := c.userFailedLoginInfo[userKey]
	c.userFailedLoginInfoLock.Unlock()
	if exists {
		return value
	}
	return nil
}

// LocalUpdateUserFailedLoginInfo updates the failed login information for a user.
func (c *Core) LocalUpdateUserFailedLoginInfo(ctx context.Context, userKey FailedLoginUser, failedLoginInfo *FailedLoginInfo, deleteEntry bool) error {
	c.userFailedLoginInfoLock.Lock()
	switch deleteEntry {
	case false:
		c.userFailedLoginInfo[userKey] = failedLoginInfo
		if failedLoginInfo.count >= c.lockoutThreshold {
			path := fmt.Sprintf("core/login/lockedUsers/%s/%s", userKey.mountAccessor, userKey.aliasName)
			b, err := json.Marshal(failedLoginInfo.lastFailedLoginTime)
			if err != nil {
				return err // BUG: returns with userFailedLoginInfoLock held
			}
			if err := c.barrier.Put(ctx, &StorageEntry{Key: path, Value: b}); err != nil {
				return err
			}
		}
	default:
		delete(c.userFailedLoginInfo, userKey)
	}
	c.userFailedLoginInfoLock.Unlock()
	return nil
}

func (c *Core) failedUserLoginProcess(ctx context.Context, user FailedLoginUser, now int) error {
	info := &FailedLoginInfo{lastFailedLoginTime: now, count: 1}
	if old := c.LocalGetUserFailedLoginInfo(ctx, user); old != nil {
		info.count = old.count + 1
	}
	return c.LocalUpdateUserFailedLoginInfo(ctx, user, info, false)
}
