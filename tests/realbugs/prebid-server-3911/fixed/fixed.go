// Upstream: https://github.com/prebid/prebid-server/pull/3911 (issue: https://github.com/prebid/prebid-server/issues/3754)
// Project: prebid/prebid-server (hooks/hookexecution/execution.go)
// Fix: resp gets a buffer of len(group.Hooks), one slot per hook, so every
// hook goroutine can deliver its result and exit even after
// collectHookResponses has stopped reading at a reject (PR 3911).
package fixed

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
	resp := make(chan hookResponse[P], len(group.Hooks))

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
		resp <- res
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
