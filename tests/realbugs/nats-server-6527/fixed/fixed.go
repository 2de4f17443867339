// Upstream: https://github.com/nats-io/nats-server/pull/6527
// Project: nats-io/nats-server
// Fix: commit 11cae8b: getNameTag takes the read lock and calls the new
// getNameTagLocked (lock held by the caller); accountInfo, which already
// holds a.mu, calls getNameTagLocked.
package fixed

import (
	"fmt"
	"sync"
)

type AccountClaims struct {
	Name string
	Tags []string
}

type Account struct {
	Name     string
	mu       sync.RWMutex
	nameTag  string
	tags     []string
	claimJWT string
}

type AccountInfo struct {
	AccountName string
	NameTag     string
	Tags        []string
	Jwt         string
}

type Server struct {
	accounts sync.Map
}

func (a *Account) getNameTag() string {
	if a == nil {
		return ""
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.getNameTagLocked()
}

// getNameTagLocked will return the name tag or the account name if not set.
// Lock should be held.
func (a *Account) getNameTagLocked() string {
	if a == nil {
		return ""
	}
	nameTag := a.nameTag
	if nameTag == "" {
		nameTag = a.Name
	}
	return nameTag
}

func (s *Server) accountInfo(accName string) (*AccountInfo, error) {
	v, ok := s.accounts.Load(accName)
	if !ok {
		return nil, fmt.Errorf("Account %s does not exist", accName)
	}
	a := v.(*Account)
	a.mu.RLock()
	defer a.mu.RUnlock()
	return &AccountInfo{
		AccountName: a.Name,
		NameTag:     a.getNameTagLocked(),
		Tags:        a.tags,
		Jwt:         a.claimJWT,
	}, nil
}

func (s *Server) updateAccountClaimsWithRefresh(a *Account, ac *AccountClaims) {
	a.mu.Lock()
	a.nameTag = ac.Name
	a.tags = ac.Tags
	a.mu.Unlock()
}

func run(s *Server, a *Account, updates <-chan *AccountClaims) {
	s.accounts.Store(a.Name, a)
	go func() {
		for ac := range updates {
			s.updateAccountClaimsWithRefresh(a, ac)
		}
	}()
	for i := 0; i < 100; i++ {
		_, _ = s.accountInfo(a.Name)
		_ = a.getNameTag()
	}
}
