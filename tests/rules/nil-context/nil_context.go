package nil_context

import (
	"context"
	"database/sql"
	"net/http"
	"os/exec"
)

// Ported from staticcheck SA1012's expected sites, rewritten.

func takesCtx(ctx context.Context)              {}
func ctxSecond(name string, ctx context.Context) {}
func noParams()                                 {}

type widget struct{}

func (*widget) Spin() {}

func (*widget) Run(ctx context.Context, n int) {}

func callers(w *widget) {
	takesCtx(nil) // want "nil passed as the context.Context of takesCtx.*context.TODO"
	takesCtx(context.TODO())
	ctxSecond("x", nil) // want "nil passed as the context.Context of ctxSecond"
	noParams()
	w.Run(nil, 1) // want "context.Context of Run"
	w.Run(context.Background(), 1)

	// conversions and method expressions are no calls of a ctx parameter
	_ = (func(context.Context))(nil)
	_ = (func())(nil)
	(*widget).Spin(nil)
}

// Generic functions, with and without explicit instantiation.
func genOne[T any](ctx context.Context, v T)          {}
func genTwo[A, B any](ctx context.Context, a A, b B) {}

func generic() {
	genOne[int](nil, 1) // want "context.Context of genOne"
	genOne(nil, 1)      // want "context.Context of genOne"
	genTwo[int, string](nil, 1, "") // want "context.Context of genTwo"
	genTwo(nil, 1, "")              // want "context.Context of genTwo"
}

// Standard-library callees.
func std(db *sql.DB, url string) {
	req, _ := http.NewRequestWithContext(nil, "GET", url, nil) // want "context.Context of NewRequestWithContext"
	_ = req
	cmd := exec.CommandContext(nil, "true") // want "context.Context of CommandContext"
	_ = cmd
	rows, _ := db.QueryContext(nil, "SELECT 1") // want "context.Context of QueryContext"
	_ = rows
	ctx, cancel := context.WithCancel(nil) // want "context.Context of WithCancel"
	defer cancel()
	// nil in another position is not the context
	req2, _ := http.NewRequestWithContext(ctx, "POST", url, nil)
	_ = req2
	_, _ = db.ExecContext(ctx, "DELETE", nil)
}

// A callee that accepts nil on purpose: low confidence.
func tolerant(ctx context.Context) {
	if ctx == nil {
		ctx = context.Background()
	}
	<-ctx.Done()
}

func callTolerant() {
	tolerant(nil) // want "the callee.*accepts a nil one.*\\[low confidence\\]"
}

// A nil for a parameter that is not a context.
func takesMap(m map[string]int, ctx context.Context) {}

func notCtx() {
	takesMap(nil, context.TODO())
}

// A local function value shadowing a package function name.
func shadow() {
	takesCtx := func(p *int) {}
	takesCtx(nil)
}

// The nil check is one call down.
func forwards(ctx context.Context) { tolerant(ctx) }

func callForwards() {
	forwards(nil) // want "the callee.*accepts a nil one.*\\[low confidence\\]"
}

// A second context parameter is often optional.
func query(ctx, txctx context.Context) {}

func callQuery() {
	query(context.TODO(), nil) // want "a second context parameter.*\\[low confidence\\]"
	query(nil, context.TODO())  // want "context.Context of query.*hand$"
}

// An unnamed parameter cannot be used.
func grab(context.Context) {}

func callGrab() {
	grab(nil) // want "does not name the parameter.*\\[low confidence\\]"
}

// The context is kept in a field and defaulted when it is read: nil is
// accepted, through a receiver whose type is not known here.
type suite struct{ ctx context.Context }

func (s *suite) init(ctx context.Context) { s.ctx = ctx }

func (s *suite) context() context.Context {
	if s.ctx == nil {
		s.ctx = context.Background()
	}
	return s.ctx
}

func (s *suite) clone(ctx context.Context) *suite {
	cp := newAny().(*suite)
	cp.init(ctx)
	return cp
}

func newAny() any { return &suite{} }

func useClone(s *suite) {
	s.clone(nil) // want "accepts a nil one.*\\[low confidence\\]"
}
