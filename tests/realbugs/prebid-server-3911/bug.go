// Upstream: https://github.com/prebid/prebid-server/pull/3911 (issue: https://github.com/prebid/prebid-server/issues/3754)
// Project: prebid/prebid-server (hooks/hookexecution/execution.go)
// Bug: executeStage hands each group of module hooks to executeGroup with a
// hookHandler, a function value built per stage (here by
// ExecuteEntrypointStage: a closure calling the hook's
// HandleEntrypointHook). executeGroup starts one goroutine per hook running
// executeHook, which runs the handler in a further goroutine and forwards
// its result on the group's unbuffered resp channel. collectHookResponses
// ranges over resp but breaks out at the first result that rejects the
// request, and nobody reads resp again: every hook that finishes later
// blocks on `resp <- res` (or on the timeout send) forever, and so does the
// goroutine that waits for them to close resp. A leak per rejected request.
// Kind: leak
// Want: none (why: the receiver that gives up is the helper collectHookResponses(resp, rejected), whose `for r := range resp` breaks at the first r.Result.Reject; GD103 needs that helper's early exit from the range as executeGroup abandoning resp; with the loop inlined in executeGroup GD103 reports `resp <- res` (low), generics or not; the send is in executeHook, run by the per-hook goroutine literal, after the hookHandler func parameter (one closure ever passed, from ExecuteEntrypointStage) returns on an inner goroutine)
package prebidserver3911

import (
	"context"
	"sync"
	"time"
)

type HookResult[T any] struct {
	Reject  bool
	NbrCode int
	Message string
}

type ModuleInvocationContext struct {
	AccountID string
}

type HookWrapper[T any] struct {
	Module string
	Code   string
	Hook   T
}

type Group[T any] struct {
	Timeout time.Duration
	Hooks   []HookWrapper[T]
}

type Plan[T any] []Group[T]

type HookID struct {
	ModuleCode   string
	HookImplCode string
}

type TimeoutError struct{}

func (TimeoutError) Error() string { return "Hook execution timeout" }

type RejectError struct {
	NBR  int
	Hook HookID
}

func (e *RejectError) Error() string { return "Module rejected request" }

type hookResponse[T any] struct {
	Err           error
	ExecutionTime time.Duration
	HookID        HookID
	Result        HookResult[T]
}

type hookHandler[H any, P any] func(
	context.Context,
	ModuleInvocationContext,
	H,
	P,
) (HookResult[P], error)

func executeStage[H any, P any](
	plan Plan[H],
	payload P,
	hookHandler hookHandler[H, P],
) (P, *RejectError) {
	for _, group := range plan {
		newPayload, rejectErr := executeGroup(group, payload, hookHandler)
		if rejectErr != nil {
			return payload, rejectErr
		}
		payload = newPayload
	}
	return payload, nil
}

func executeGroup[H any, P any](
	group Group[H],
	payload P,
	hookHandler hookHandler[H, P],
) (P, *RejectError) {
	var wg sync.WaitGroup
	rejected := make(chan struct{})
	resp := make(chan hookResponse[P])

	for _, hook := range group.Hooks {
		mCtx := ModuleInvocationContext{}
		wg.Add(1)
		go func(hw HookWrapper[H], moduleCtx ModuleInvocationContext) {
			defer wg.Done()
			executeHook(moduleCtx, hw, payload, hookHandler, group.Timeout, resp, rejected)
		}(hook, mCtx)
	}

	go func() {
		wg.Wait()
		close(resp)
	}()

	hookResponses := collectHookResponses(resp, rejected)

	return handleHookResponses(hookResponses, payload)
}

func executeHook[H any, P any](
	moduleCtx ModuleInvocationContext,
	hw HookWrapper[H],
	payload P,
	hookHandler hookHandler[H, P],
	timeout time.Duration,
	resp chan<- hookResponse[P],
	rejected <-chan struct{},
) {
	hookRespCh := make(chan hookResponse[P], 1)
	startTime := time.Now()
	hookId := HookID{ModuleCode: hw.Module, HookImplCode: hw.Code}

	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		result, err := hookHandler(ctx, moduleCtx, hw.Hook, payload)
		hookRespCh <- hookResponse[P]{
			Result: result,
			Err:    err,
		}
	}()

	select {
	case res := <-hookRespCh:
		res.HookID = hookId
		res.ExecutionTime = time.Since(startTime)
		resp <- res // BUG: collectHookResponses stopped reading resp at the first reject
	case <-time.After(timeout):
		resp <- hookResponse[P]{
			Err:           TimeoutError{},
			ExecutionTime: time.Since(startTime),
			HookID:        hookId,
		}
	case <-rejected:
		return
	}
}

func collectHookResponses[P any](resp <-chan hookResponse[P], rejected chan<- struct{}) []hookResponse[P] {
	hookResponses := make([]hookResponse[P], 0)
	for r := range resp {
		hookResponses = append(hookResponses, r)
		if r.Result.Reject {
			close(rejected)
			break
		}
	}

	return hookResponses
}

func handleHookResponses[P any](hookResponses []hookResponse[P], payload P) (P, *RejectError) {
	for _, r := range hookResponses {
		if r.Result.Reject {
			return payload, &RejectError{NBR: r.Result.NbrCode, Hook: r.HookID}
		}
	}
	return payload, nil
}

// EntrypointPayload is what the entrypoint hooks see.
type EntrypointPayload struct {
	Body []byte
}

// Entrypoint is implemented by modules hooking the entrypoint stage.
type Entrypoint interface {
	HandleEntrypointHook(context.Context, ModuleInvocationContext, EntrypointPayload) (HookResult[EntrypointPayload], error)
}

type hookExecutor struct {
	plan Plan[Entrypoint]
}

func (e *hookExecutor) ExecuteEntrypointStage(body []byte) ([]byte, *RejectError) {
	handler := func(
		ctx context.Context,
		moduleCtx ModuleInvocationContext,
		hook Entrypoint,
		payload EntrypointPayload,
	) (HookResult[EntrypointPayload], error) {
		return hook.HandleEntrypointHook(ctx, moduleCtx, payload)
	}

	payload, reject := executeStage(e.plan, EntrypointPayload{Body: body}, handler)
	return payload.Body, reject
}
