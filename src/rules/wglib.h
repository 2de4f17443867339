/* rules/wglib: sync.WaitGroup helpers shared by the WaitGroup path rules
 * (GD302-GD304): recognising Add/Done/Wait calls, goroutine bodies and
 * their same-package callees, and where the spawner counted a goroutine. */
#ifndef GODARK_WGLIB_H
#define GODARK_WGLIB_H

#include "../model/cfg.h"
#include "../model/spawn.h"
#include "rulelib.h"

enum wg_op { WG_NONE, WG_ADD, WG_DONE, WG_WAIT };

/* The operation of call `X.Add(n)`, `X.Done()`, `X.Wait()` whose X is a
 * path (rl_is_path); *wg gets X. `Add(-k)` is a Done. Only the shape is
 * checked here: callers check the type with wg_is_sync. */
enum wg_op wg_call_shape(const struct gofile *f, nid call, nid *wg);
/* Is the path's type sync.WaitGroup or *sync.WaitGroup (by the model)? */
bool wg_is_sync(struct pkg *p, int fi, nid path);
/* Is call `X.<op>(...)` with X the same path as wg (rl_same_path)? */
bool wg_call_on(const struct pkg *p, int fi, nid call, nid wg, enum wg_op op);
/* For call `X.<op>(...)` with X a sync.WaitGroup (wg_call_shape,
 * wg_is_sync) in a function declaration or func literal with a body: that
 * function, with *wg set to X; 0 otherwise. */
nid wg_call_in_func(struct pkg *p, int fi, nid call, enum wg_op op, nid *wg);
/* Does subtree n (func literals included) hold a call `X.<op>()` on group
 * wg (wg_call_on) or, with may_done, a call that may do a Done on it
 * (wg_call_may_done)? */
bool wg_calls_in(struct pkg *p, int fi, nid n, nid wg, enum wg_op op, bool may_done);

/* A group in file fi of p: the ud of the rules' CFG stop functions. */
struct wg_group {
    struct pkg *p;
    int fi;
    nid wg;
};

/* The go statement that starts func literal lit directly
 * (`go func(){...}(args)`), or 0. */
nid wg_go_of_literal(const struct gofile *f, nid lit);
/* The defer statement of function body owner fn under which node k runs
 * (`defer X.Done()`, or inside `defer func(){...}()`), or 0. Other func
 * literals are boundaries. */
nid wg_defer_of(const struct gofile *f, nid fn, nid k);
/* The same-package function or method that call (a call_expression) calls:
 * `f(...)` with f a package-level function not shadowed by a local, or
 * `x.m(...)` with x of type T or *T of this package and m a method of T.
 * NULL when unknown. */
const struct pkg_decl *wg_callee(struct pkg *p, int fi, nid call);

/* The i-th argument of call (0-based, with `&` stripped), or 0. */
nid wg_call_arg(const struct gofile *f, nid call, int i);

/* The text of path e without spaces and parentheses, into out (cap bytes,
 * NUL-terminated, truncated); returns its length. */
size_t wg_path_text(const struct gofile *f, nid e, char *out, size_t cap);
/* A call `P.Add(...)` in function fn's own body (not in func literals),
 * before node `before` and at the same or an outer statement level (so it
 * runs whenever `before` runs), or 0. P matches when its text (as
 * wg_path_text) is want_text, or, when want_text is NULL, when it is the
 * same path as node `same` (rl_same_path). */
nid wg_add_before(struct pkg *p, int fi, nid fn, nid before, const char *want_text, nid same);

/* Could call `call` (file fi) do a Done on WaitGroup path wg, other than
 * by being `wg.Done()` itself? True when it passes wg or a value holding it
 * (the root of wg's path) as an argument or receiver to code that may call
 * Done: a same-package callee whose body has a Done, Add or a further call
 * on its receiver, or any callee that cannot be found; when it calls a
 * local func value whose literal calls Done; or, for a package-level wg,
 * when it calls a same-package function mentioning it. */
bool wg_call_may_done(struct pkg *p, int fi, nid call, nid wg);

/* Does subtree n (func literals included) let the group wg, or a value
 * holding it, escape other than through calls (which wg_call_may_done
 * judges) and the group's own Add/Done/Wait: `&wg` or `s` stored in a
 * composite literal, assigned, sent, returned? Then other code may call
 * Done at times we cannot see. Go statements' own calls count as calls. */
bool wg_escapes_in(const struct pkg *p, int fi, nid n, nid wg);

/* How many Done calls on the spawner's group wg (a path in file fi) the
 * goroutine started by go statement `go` makes: 0, 1 (one or more Done
 * sites, none in a loop: once per run, as GD302 wants), or -1 when unknown
 * (a Done in a loop or in a nested goroutine, an Add of the group, the
 * group handed to code that may call Done, a callee that cannot be found
 * but receives the group). Looks into `go func(){...}()` literals and, one
 * level, into same-package functions and methods (`go f(&wg)`,
 * `go s.run()`), mapping their parameters and receiver to the arguments;
 * a callee handed the method value `wg.Done` makes one Done when it calls
 * that parameter once (outside loops), else -1. */
int wg_goroutine_dones(struct pkg *p, int fi, nid go, nid wg);

/* Is call (`x.Add(n)`) an Add of one decimal constant, *n set; a positive
 * count is what the WaitGroup rules trust. */
bool wg_add_const(const struct gofile *f, nid call, long *n);

#endif
