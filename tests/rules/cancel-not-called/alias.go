package cancel_not_called

import (
	stdctx "context"
	"time"
)

// The context package under another name.
func aliased(parent stdctx.Context) stdctx.Context {
	ctx, _ := stdctx.WithTimeout(parent, time.Second) // want "cancel function of stdctx.WithTimeout is discarded"
	return ctx
}

// Silent: a cancel used in a func literal that calls it.
func aliasedOK(parent stdctx.Context) (stdctx.Context, func()) {
	ctx, cancel := stdctx.WithTimeout(parent, time.Second)
	return ctx, func() { cancel() }
}
