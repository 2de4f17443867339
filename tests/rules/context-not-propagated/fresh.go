package handlers

// Issue 11, second round (code the rule was never tuned on).

import (
	"context"
	"errors"
)

type mysqld struct{}

func (m *mysqld) Start(ctx context.Context, args ...string) error        { return ctx.Err() }
func (m *mysqld) Shutdown(ctx context.Context, wait bool) error          { return ctx.Err() }
func (m *mysqld) RunUpgrade(ctx context.Context) error                   { return ctx.Err() }
func (m *mysqld) StopReplication(ctx context.Context) error              { return ctx.Err() }
func (m *mysqld) ResetReplication(ctx context.Context) error             { return ctx.Err() }
func (m *mysqld) SetPosition(ctx context.Context, pos string) error      { return ctx.Err() }
func (m *mysqld) Version(ctx context.Context) (string, error)            { return "", ctx.Err() }
func (m *mysqld) Position(ctx context.Context) (string, error)           { return "", ctx.Err() }
func (m *mysqld) DbaConn(ctx context.Context) (interface{ Close() }, error) { return nil, ctx.Err() }

// Lifecycle calls (vitess restarts mysqld around mysql_upgrade): a start
// or stop meant to finish even when the caller gave up: low confidence.
func restore(ctx context.Context, m *mysqld) error {
	if err := m.Start(context.Background(), "--skip-networking"); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}
	if err := m.RunUpgrade(ctx); err != nil {
		return err
	}
	if err := m.Shutdown(context.Background(), true); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}
	return m.Start(context.Background()) // want "context.Background\\(\\).*\\[low confidence\\]"
}

// A comment further up in the function says why the calls below it use a
// background context (vitess's startReplication): low confidence.
func startReplication(ctx context.Context, m *mysqld, pos string) error {
	// The first steps of stopping replication and setting the position are
	// to happen even if the context expires, so we use a background
	// context for these tasks.
	if err := m.StopReplication(context.Background()); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}
	if err := m.ResetReplication(context.Background()); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}

	if err := m.SetPosition(context.Background(), pos); err != nil { // want "context.Background\\(\\).*\\[low confidence\\]"
		return err
	}
	_, err := m.Position(ctx)
	return err
}

// A context made from Background that is only waited on, next to ctx
// (tailscale's file waiters): a signal, no work is done with it: silent.
type waiters struct{}

func (w *waiters) add(wake context.CancelFunc) {}
func (w *waiters) ready() bool                { return false }

func (w *waiters) await(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for {
		got, gotCancel := context.WithCancel(context.Background())
		w.add(gotCancel)
		if w.ready() {
			gotCancel()
			return nil
		}
		select {
		case <-got.Done():
		case <-ctx.Done():
			gotCancel()
			return ctx.Err()
		}
	}
}

// ---- the true shapes stay high ----

// ctx is passed to the same object just before, then Background
// (vitess's testenv.Init).
func initEnv(ctx context.Context, m *mysqld) (string, error) {
	if _, err := m.Position(ctx); err != nil {
		return "", err
	}
	return m.Version(context.Background()) // want "context.Background\\(\\) is used although ctx is in scope"
}

// TODO with ctx in scope (vitess's CreateKs).
func createKs(ctx context.Context, m *mysqld) error {
	c, err := m.DbaConn(context.TODO()) // want "context.TODO\\(\\) is used although ctx is in scope"
	if err != nil {
		return err
	}
	defer c.Close()
	return m.RunUpgrade(ctx)
}

// A Background context that does work (passed to a call) is no signal,
// even when it is also waited on.
func fetch(ctx context.Context, m *mysqld) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	bg, cancel := context.WithCancel(context.Background()) // want "context.Background\\(\\) is used although ctx is in scope"
	defer cancel()
	if _, err := m.Version(bg); err != nil {
		return err
	}
	<-bg.Done()
	return errors.New("done")
}

// The same object gets ctx only in another case of the switch (vitess's
// restore finish): a different action, whose context is chosen on its
// own: low confidence.
func finish(ctx context.Context, m *mysqld, action int) error {
	switch action {
	case 0:
		return m.ResetReplication(context.Background()) // want "context.Background\\(\\).*\\[low confidence\\]"
	case 1:
		return m.RunUpgrade(ctx)
	}
	return nil
}
