/* rules/rulelib: small syntax and model helpers shared by several rules
 * (statement lists, identifier paths, builtins, loops, lock types). */
#ifndef GODARK_RULELIB_H
#define GODARK_RULELIB_H

#include "rule.h"

struct obj_model; /* model/objects.h */
struct obj_class;
struct obj_use;

/* Is k the kind of a statement? */
bool rl_is_stmt_kind(enum node_kind k);
/* The first statement of a block, statement_list or case clause (iterate
 * with ast_next, skipping nothing), or 0 when it has none. */
nid rl_first_stmt(const struct gofile *f, nid n);
/* Does the block / statement_list / case clause hold no statement other
 * than empty statements? */
bool rl_stmts_empty(const struct gofile *f, nid n);

/* A "path": an identifier, or a selector chain over identifiers (`ch`,
 * `s.done`, `a.b.c`), parentheses allowed. */
bool rl_is_path(const struct gofile *f, nid e);
/* The root identifier of a path (`s` of `s.done`), or 0. */
nid rl_path_root(const struct gofile *f, nid e);
/* Do expressions a and b have the same text, blanks aside (`&s.n` and
 * `& s.n`)? The peers' way of comparing receivers without types. */
bool rl_same_text(const struct gofile *f, nid a, nid b);
/* Do paths a and b have the same shape and names, and do their roots
 * denote the same variable (same local declaration, or both not local)? */
bool rl_same_path(const struct pkg *p, int fi, nid a, nid b);
/* Is `prefix` a prefix (or all) of `path`, by names (`s` and `s.done` are
 * prefixes of `s.done`)? Roots compared by text only. */
bool rl_path_has_prefix(const struct gofile *f, nid path, nid prefix);

/* The innermost for_statement whose body contains n, not crossing a
 * function boundary (func literal or declaration), or 0. */
nid rl_enclosing_loop(const struct gofile *f, nid n);
/* The statement an unlabeled break (for_only: continue) at k refers to: the
 * nearest enclosing for (or switch, select), or 0 at a function boundary. */
nid rl_jump_target(const struct gofile *f, nid k, bool for_only);
/* The body block of a for statement. */
nid rl_for_body(const struct gofile *f, nid loop);
/* Has the for statement no condition (`for {}`, `for ;; {}`) or the
 * constant `true` as condition? Range loops never. */
bool rl_loop_is_infinite(const struct gofile *f, nid loop);

/* Is field_declaration fd an embedded pointer (`*T` with no name)? The
 * front end keeps that `*` as the node's op, not as a pointer_type child. */
bool rl_field_is_embedded_ptr(const struct gofile *f, nid fd);
/* Does the package declare type `name` more than once (files for different
 * build tags)? Then which one applies is unknown. */
bool rl_type_declared_twice(const struct pkg *p, const char *name);

/* The sync lock (a static string: "sync.Mutex", "sync.RWMutex",
 * "sync.WaitGroup", "sync.Once", "sync.Cond") or sync/atomic typed value
 * ("atomic.Int64", "atomic.Pointer", ...: the ones with a noCopy) that a
 * value of type t holds by value: t itself, or an array (of non-zero length) or struct of this
 * package containing one, through named types of this package. NULL when
 * none or unknown. Pointers, slices, maps, chans hold no lock by value. */
const char *rl_lock_in_type(struct pkg *p, const struct ltype *t);
/* rl_lock_in_type widened to everything go vet's copylocks treats as not
 * to be copied: also sync.Pool and sync.Map, and a struct type of this
 * package with Lock and Unlock methods on its pointer receiver (a noCopy
 * marker, a spin lock), whose name is returned (an arena or declaration
 * string). *weak (may be NULL) is set when that type holds only
 * references, so its lock state lives elsewhere (a file lock). */
const char *rl_nocopy_in_type(struct pkg *p, const struct ltype *t, bool *weak);

/* --- Helpers added with the timer, context and channel-buffer rules
 * (GD501-GD504, GD201). --- */

/* Go's terminating statements (spec "Terminating statements"), extended:
 * calls that never return (model_is_noreturn_call) terminate, and a range loop
 * over a channel or an expression of unknown type without a break to it
 * counts as terminating (a range over a never-closed channel never ends).
 * Unknown or too deep also answers true: callers use "terminates" to stay
 * silent. n is a statement, block, statement_list or case clause. */
bool rl_terminates(const struct pkg *p, int fi, nid n);
/* Is there a break in loop/switch/select `st` (not in a nested func
 * literal) that refers to st, unlabeled or by st's label? */
bool rl_has_break_to(const struct gofile *f, nid st);
/* Can the function (declaration or func literal) return: it holds a return
 * statement of its own (not in a nested func literal) or the end of its
 * body is not a terminating statement (rl_terminates)? A function with no
 * body can. */
bool rl_func_can_return(const struct pkg *p, int fi, nid fn);
/* Like rl_func_can_return, for control that has reached node `from` in fn:
 * only return statements after `from`, or in a loop around it, count. */
bool rl_func_can_return_after(const struct pkg *p, int fi, nid fn, nid from);

/* Timer and ticker semantics in force for the package. Go 1.23 made
 * unreferenced, unstopped Timers and Tickers collectable (and their channels
 * synchronous), but only for programs whose main module says go >= 1.23
 * (and that do not set GODEBUG asynctimerchan=1). */
enum rl_timer_regime {
    RL_TIMERS_UNKNOWN,  /* no go.mod: assume the old semantics */
    RL_TIMERS_OLD,      /* go.mod says go < 1.23 */
    RL_TIMERS_NEW_LIB,  /* go >= 1.23, not package main: new semantics only if the main module also says so */
    RL_TIMERS_NEW_MAIN, /* go >= 1.23 in package main: the new semantics apply */
};
enum rl_timer_regime rl_timer_regime(const struct pkg *p, int fi);
/* Where file fi's language version comes from, for messages: "go.mod says
 * go 1.21", "vendor.mod says go 1.24", "the file's //go:build line says
 * go1.23", or "no go.mod, vendor.mod or go.work found": an arena string of p. */
const char *rl_go_version_text(struct pkg *p, int fi);

/* Is identifier id the whole target of an assignment (`id = ...`, `id, x =
 * ...`, or a name on the left of `:=`), so the statement writes it rather
 * than reads it? Compound assignments (`+=`) read it. */
bool rl_ident_is_written(const struct gofile *f, nid id);
/* The last component of a path ("a/b/c.go" -> "c.go"): a pointer into it. */
const char *rl_base_name(const char *path);
/* The receiver's name node of method declaration fn, or 0 (a function, or
 * a receiver without a name). */
nid rl_receiver_name(const struct gofile *f, nid fn);
/* Is the file a _test.go file? */
bool rl_is_test_file(const struct gofile *f);
/* Is `dir` one of the directories on path (a whole path component before
 * the last): rl_in_dir("x/cmd/y/main.go", "cmd")? */
bool rl_in_dir(const char *path, const char *dir);
/* The name a call calls: `f` of `f(x)`, `m` of `x.m(y)`; the text of
 * anything else (a func literal, an index). */
struct str rl_call_name(const struct gofile *f, nid call);
/* Is node n inside a func literal passed to a call named Do
 * (`once.Do(func() { ... })`): it runs once, at the first call. */
bool rl_in_once_do(const struct gofile *f, nid n);
/* Does subtree n hold a call of something named `name` (rl_call_name)? */
bool rl_calls_named(const struct gofile *f, nid n, struct str name);
/* Does name contain one of the n words (`panic` in `panicFunc`)? */
bool rl_name_has_word(struct str name, const char *const *words, unsigned n);
/* Does subtree n name `name`: an identifier (with fields, also a field
 * identifier, as in `x.name` or a struct field declaration)? */
bool rl_mentions(const struct gofile *f, nid n, struct str name, bool fields);
/* Is func literal lit called where it is written (`func(){...}()`, also
 * under go or defer, through parentheses)? */
bool rl_literal_called_in_place(const struct gofile *f, nid lit);
/* Is identifier id a name being declared by a var or const spec or a
 * parameter (not a use of the name)? */
bool rl_ident_is_decl_name(const struct gofile *f, nid id);

/* --- Helpers shared by the cancel rules (GD504, GD505). --- */

/* The name of the context function that call calls, when it returns a
 * cancel function: "WithCancel", "WithTimeout", "WithDeadline" or a
 * ...Cause variant (a static string); NULL otherwise. */
const char *rl_ctx_cancel_call(const struct pkg *p, int fi, nid call);
/* When call (parentheses allowed) is the whole right side of a two-name
 * `a, b := call`, `a, b = call` or `var a, b = call`: the second name on
 * the left as written (maybe parenthesised, maybe `_`), with *st the
 * statement or var spec; 0 otherwise. */
nid rl_second_assigned(const struct gofile *f, nid call, nid *st);
/* Is identifier k the source of a blank assignment (`_ = cancel`)? */
bool rl_ident_is_blank_assigned(const struct gofile *f, nid k);

/* Does some file of the package have a syntax error? Package-wide rules
 * stay silent then: an unparsed region may hold the counterpart. */
bool rl_pkg_has_error(const struct pkg *p);

/* The package's object model (model/objects.h), or NULL when some file of
 * the package has a syntax error: the package-wide rules on it stay silent
 * then, since an unparsed region may hold the counterpart. */
const struct obj_model *rl_objects(const struct rule_ctx *ctx);
/* Calls fn(ctx, c) for each class c of kind k that only the package's own
 * code can use (rl_private_class) and that has a use in ctx's file; does
 * nothing when the package has a syntax error. */
void rl_each_private_class(struct rule_ctx *ctx, int k, void (*fn)(struct rule_ctx *ctx, const struct obj_class *c));
/* Object classes (model/objects.h) that only the package's own code can
 * use: of kind k, never handed on (not open), in an unexported field. */
bool rl_private_class(const struct obj_class *c, int k);
/* Does class c have a use of op in ctx's file? */
bool rl_class_use_in_file(const struct rule_ctx *ctx, const struct obj_class *c, int op);
/* Reports each Wait (use op OO_WAIT) of class c in ctx's file as
 * "X.Wait <verb> forever: <reason>", with fix "<fix_pre>X<fix_post>";
 * low confidence in test files or when the test files are not checked. */
void rl_report_class_waits(struct rule_ctx *ctx, const struct obj_class *c, const char *verb, const char *reason,
                           const char *fix_pre, const char *fix_post);

/* --- Helpers of the cancel rules (GD504, GD508). --- */

/* The class of the cancel field at sel (a selector x.f, or the key f of a
 * `T{f: cancel}` literal) when it is an unexported context.CancelFunc field
 * that nothing in the package calls, returns, hands on or sets from
 * anything but a context constructor, and whose name is never selected on
 * a value of unknown type (that may be a call of it); else NULL. A call in
 * a function nothing can call (rl_in_uncalled_func) counts as none, and
 * *dead_call (may be NULL) gets one such call. */
const struct obj_class *rl_idle_cancel_field(struct pkg *p, int fi, nid sel, const struct obj_use **dead_call);
/* Is the function around node n (a declaration, through func literals)
 * dead code: its name appears nowhere else in the package, and nothing
 * outside can call it (unexported, or a method of a test file's fake)? */
bool rl_in_uncalled_func(const struct pkg *p, int fi, nid n);
/* The key f of the one `T{f: name}` in function scope that reads local
 * `name` (declared by identifier decl_name), when no other identifier of
 * that name is in scope (keys aside); else 0. */
nid rl_literal_key_of(const struct gofile *f, nid scope, nid decl_name);

/* --- Helpers shared by the loop-and-select rules (GD109, GD112). --- */

/* The communication case whose communication is op node o (a send
 * statement or a `<-` expression), or 0. */
nid rl_comm_case(const struct gofile *f, nid o);
/* Does statement k leave loop `loop`: a return or goto, or a break (or
 * labeled continue) to a statement at or outside the loop? */
bool rl_leaves_loop(const struct gofile *f, nid k, nid loop);
/* Does region (func literals passed over) hold a continue of loop? */
bool rl_continues_loop(const struct gofile *f, nid region, nid loop);
/* The first statement of region (func literals passed over) that leaves
 * loop, or 0. */
nid rl_leaving_stmt(const struct gofile *f, nid region, nid loop);

/* --- Helpers of the cond rules (GD408, GD409). --- */

/* Does the expression at e (a selector x.f or an identifier) get written
 * there: the target of an assignment or ++/--, through fields and indexes
 * of it (`x.f.g = v`, `x.f[k]++`), an atomic Store/Add/Swap/CompareAndSwap/
 * And/Or on it, or the map of delete/clear? */
bool rl_expr_written(const struct pkg *p, int fi, nid e);

/* The type of the k-th parameter declaration (from 0; `a, b int` is one)
 * of function, method or func literal fn (file fi), or NULL. */
struct ltype *rl_param_type(struct pkg *p, int fi, nid fn, int k);

/* Is there a call of a method named ...lock or ...Lock (Lock, RLock,
 * TryLock, a helper's lock()), not ...Unlock, in fn (file f) before node
 * at: a lock the dataflow may not see? */
bool rl_locks_before(const struct gofile *f, nid fn, nid at);

/* Does a comment ending in the `above` lines before line `line` contain
 * `word`? (The reason an author gives for a deliberate shape.) */
bool rl_comment_near(const struct gofile *f, uint32_t line, uint32_t above, const char *word);

#endif
