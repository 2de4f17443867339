package handlers

import (
	"context"
	ctxpkg "context"
	"database/sql"
	"net/http"
	"time"
)

type Pod struct{ Name string }

type podClient interface {
	Get(ctx context.Context, name string) (*Pod, error)
	Delete(ctx context.Context, name string) error
}

// Kubernetes-style controller: the sync handler receives ctx but the
// client call uses a fresh Background context, so a cancelled informer
// resync keeps hitting the API server.
type Controller struct {
	client podClient
}

func (c *Controller) syncPod(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pod, err := c.client.Get(context.Background(), name) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of syncPod\\): cancellation and deadlines of ctx do not reach.*.*\\[low confidence\\]"
	if err != nil {
		return err
	}
	_ = pod
	return nil
}

// etcd-style: TODO left in a function that has a ctx.
func (c *Controller) cleanup(ctx context.Context, names []string) error {
	for _, n := range names {
		if err := c.client.Delete(context.TODO(), n); err != nil { // want "context.TODO\\(\\) is used although ctx is in scope"
			return err
		}
	}
	_, err := c.client.Get(ctx, "last")
	return err
}

// gRPC/Docker-style: a timeout derived from Background instead of ctx, via
// an import alias.
type Store struct{ db *sql.DB }

func (s *Store) Lookup(reqCtx ctxpkg.Context, id int) (string, error) {
	tctx, cancel := ctxpkg.WithTimeout(ctxpkg.Background(), 2*time.Second) // want "context.Background\\(\\) is used although reqCtx is in scope \\(parameter of Lookup\\)"
	defer cancel()
	var name string
	err := s.db.QueryRowContext(tctx, "SELECT name FROM t WHERE id = ?", id).Scan(&name)
	if reqCtx.Err() != nil {
		return "", reqCtx.Err()
	}
	return name, err
}

// An HTTP handler: the request's context is in r.Context(), not a
// parameter; a helper that receives it drops it in a closure.
func (s *Store) handle(ctx context.Context, w http.ResponseWriter, ids []int) {
	fetch := func(id int) (string, error) {
		return s.Lookup(context.Background(), id) // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of handle\\)"
	}
	for _, id := range ids {
		name, err := fetch(id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(name))
	}
	_ = ctx.Value("user")
}

// Inside a go statement: the work may be meant to outlive the request.
func (c *Controller) asyncDelete(ctx context.Context, name string) {
	go func() {
		_ = c.client.Delete(context.Background(), name) // want "context.Background\\(\\) is used although ctx.*\\[low confidence\\]"
	}()
	_, _ = c.client.Get(ctx, name)
}

// Deferred cleanup that must run even when ctx is cancelled: low.
func (c *Controller) withLease(ctx context.Context, name string) error {
	defer c.client.Delete(context.Background(), name+"-lease") // want "context.Background\\(\\).*\\[low confidence\\]"
	_, err := c.client.Get(ctx, name)
	return err
}

// After checking that ctx is done: rollback with a fresh context, low.
func (c *Controller) createOrRollback(ctx context.Context, name string) error {
	_, err := c.client.Get(ctx, name)
	if ctx.Err() != nil {
		return c.client.Delete(context.Background(), name) // want "context.Background\\(\\).*\\[low confidence\\]"
	}
	return err
}

// A long-lived context stored for an object that outlives Start: low.
type Server struct {
	stop func()
	bg   context.Context // want "context.Context stored in field bg of Server.*\\[low confidence\\]"
}

func (s *Server) Start(ctx context.Context) error {
	s.bg, s.stop = context.WithCancel(context.Background()) // want "context.Background\\(\\).*\\[low confidence\\]"
	return ctx.Err()
}

// A function that ignores its ctx entirely and makes a new one: the plain
// case of the bug, high confidence.
func (c *Controller) Ping(ctx context.Context) error {
	_, err := c.client.Get(context.Background(), "ping") // want "context.Background\\(\\) is used although ctx is in scope \\(parameter of Ping\\).*with it$"
	return err
}

// A worker that keeps a context in a field (CONF_LOW).
type worker struct {
	ctx   context.Context // want "context.Context stored in field ctx of worker.*\\[low confidence\\]"
	queue chan string
}
