// Upstream: https://github.com/nats-io/nats-server/pull/6527
// Project: nats-io/nats-server
// Bug: accountInfo (the /accountz monitor) read-locks a.mu for the whole
// report and, while building it, calls a.getNameTag(), which read-locks
// a.mu again. A claims update (updateAccountClaimsWithRefresh) that asks
// for the write lock between the two RLocks makes the second RLock wait
// behind it, while the writer waits for the first: both hang, and every
// later user of the account's lock behind them.
// Kind: deadlock
// Want: GD403
package natsserver6527

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

// getNameTag will return the name tag or the account name if not set.
func (a *Account) getNameTag() string {
	if a == nil {
		return ""
	}
	a.mu.RLock()
	nameTag := a.nameTag
	if nameTag == "" {
		nameTag = a.Name
	}
	a.mu.RUnlock()
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
		NameTag:     a.getNameTag(), // BUG: getNameTag read-locks a.mu again while accountInfo holds it
		Tags:        a.tags,
		Jwt:         a.claimJWT,
	}, nil
}

// updateAccountClaimsWithRefresh is the writer (a JWT update).
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
	}
}
