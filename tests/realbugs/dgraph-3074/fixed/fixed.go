// Upstream: https://github.com/dgraph-io/dgraph/pull/3074
// Project: dgraph-io/dgraph
// Fix: errCh gets a buffer of len(proposals), one slot per goroutine, so
// every send completes even after UpdateMembership returned at the first
// error (commit 982c1fe; the same PR sized BackupOverNetwork's and the
// task workers' errCh, buffered 1, to the number of goroutines).
package fixed

import (
	"context"
	"errors"
	"sync"
)

type ZeroProposal struct {
	Member  string
	Tablets []string
}

type Group struct {
	Members []string
	Tablets []string
}

type Payload struct{ Data []byte }

var errInvalid = errors.New("invalid proposal")

type node struct {
	mu      sync.Mutex
	applied map[string]bool
}

// proposeAndWait proposes pr to the raft group and waits until it is
// applied or ctx ends.
func (n *node) proposeAndWait(ctx context.Context, pr *ZeroProposal) error {
	if pr.Member == "" {
		return errInvalid
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	default:
	}
	n.mu.Lock()
	n.applied[pr.Member] = true
	n.mu.Unlock()
	return nil
}

type Server struct {
	Node        *node
	moveOngoing chan struct{}
}

func NewServer() *Server {
	return &Server{
		Node:        &node{applied: make(map[string]bool)},
		moveOngoing: make(chan struct{}, 1),
	}
}

func (s *Server) createProposals(group *Group) []*ZeroProposal {
	var res []*ZeroProposal
	for _, m := range group.Members {
		res = append(res, &ZeroProposal{Member: m, Tablets: group.Tablets})
	}
	return res
}

func (s *Server) UpdateMembership(ctx context.Context, group *Group) (*Payload, error) {
	proposals := s.createProposals(group)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	errCh := make(chan error, len(proposals))
	for _, pr := range proposals {
		go func(pr *ZeroProposal) {
			errCh <- s.Node.proposeAndWait(ctx, pr)
		}(pr)
	}

	for range proposals {
		if err := <-errCh; err != nil {
			return nil, err
		}
	}

	if len(group.Members) == 0 {
		return &Payload{Data: []byte("OK")}, nil
	}
	select {
	case s.moveOngoing <- struct{}{}:
	default:
		// A move is going on: skip deleting predicates.
		return &Payload{Data: []byte("OK")}, nil
	}
	defer func() { <-s.moveOngoing }()
	return &Payload{Data: []byte("OK")}, nil
}
