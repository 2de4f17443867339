/* model/chan: where a channel made by `make(chan T[, n])` goes and what is
 * done to it, for the goroutine leak rules (GD103, GD104 and friends).
 *
 * A tracked channel is a local variable initialised by a make (`ch :=
 * make(chan T)`, `var ch = make(chan T, 1)`) in its "creator" function (a
 * function declaration, method or func literal). Every use of the variable
 * in the creator, in func literals inside it, and in same-package functions
 * it is passed to (`go worker(ch)`, `drain(ch)`; followed a few levels) is
 * classified as an operation (send, receive, range, close, a call that
 * hands it to a same-package function) or, when anything else happens to
 * it, as an escape: stored in a variable, field, map or composite literal,
 * sent on a channel, returned, passed to a function of another package or
 * to a func value, captured by a func literal that is neither started by
 * `go`, deferred, nor called on the spot, or assigned again. Rules stay
 * silent on a channel that escapes: other code may use it at times we
 * cannot see.
 *
 * Each operation knows which goroutine runs it: the creator's own (go ==
 * 0), or the goroutine started by a go statement of the creator's body
 * (`go func(){...}()`, `go f(ch)`). A go statement nested inside another
 * goroutine counts as an escape.
 */
#ifndef GODARK_CHAN_H
#define GODARK_CHAN_H

#include "cfg.h"

enum chop_kind {
    CHOP_SEND,  /* ch <- v */
    CHOP_RECV,  /* <-ch */
    CHOP_RANGE, /* for v := range ch */
    CHOP_CLOSE, /* close(ch) */
    CHOP_CALL,  /* f(ch): handed to a same-package function (its own ops are listed too) */
};

/* How an op sits in a select statement. */
enum chan_select {
    CHSEL_NONE,    /* not a select case */
    CHSEL_ALONE,   /* the only case of a select without default: blocks like a plain op */
    CHSEL_OTHERS,  /* a case of a select with other cases and no default */
    CHSEL_DEFAULT, /* a case of a select with a default: never blocks */
};

struct chop {
    uint8_t kind;     /* enum chop_kind */
    uint8_t select;   /* enum chan_select */
    bool deferred;    /* runs when its function returns (defer, or inside a deferred func literal) */
    bool in_loop;     /* inside a for statement of its own function (a range op: in a loop around its own) */
    bool via_call;    /* found in a same-package function the channel was handed to */
    int fi;           /* file of node */
    nid node;         /* send_statement, unary `<-` expression, range_clause, close or CHOP_CALL call */
    nid fn;           /* the function or func literal whose body holds node directly */
    nid go;           /* the creator's go statement whose goroutine runs it; 0: the creator's goroutine */
    nid site;         /* in the creator's file and body: the node that leads to it (node itself, or the
                         call or go statement of the creator that handed the channel on) */
};

struct chan_info {
    int fi;         /* file of the make */
    nid make;       /* the make call */
    nid name;       /* the declaring identifier of the variable */
    nid creator;    /* function_declaration, method_declaration or func_literal making it */
    long buf;       /* buffer size: 0 unbuffered, -1 not a constant */
    bool escapes;
    nid escape_at;  /* a node (file escape_fi) where it escapes, for dumps */
    int escape_fi;
    struct chop *ops;
    int nops;
    /* chan_track_ctor: the channel a constructor call returns. make is the
     * call, name the variable it initialises (or the call itself when the
     * result is received at once or dropped); ctor_make (in the file of
     * decl ctor) is 0 for a channel made here. The constructor's sends
     * are ops with go == make: its goroutine starts at the call. */
    nid ctor_make;
    int ctor;       /* index into p->decls */
    nid ctor_go;    /* the constructor's go statement */
    bool dropped;   /* the result is thrown away: `Go(f)`, `_ = Go(f)` */
};

/* Is call `make(chan T[, n])` with the predeclared make? */
bool chan_is_make(const struct pkg *p, int fi, nid call);

/* Tracks the channel made by make call `make` of file fi. Returns false
 * (and leaves *out zeroed) when the make is not a tracked shape: not a
 * channel make, or not the whole initialiser of one local variable.
 * Free *out with chan_info_free. */
bool chan_track(struct pkg *p, int fi, nid make, struct chan_info *out);
void chan_info_free(struct chan_info *c);

/* The make call initialising the local variable that identifier id names
 * (`ch := make(chan T)`, `var ch = make(chan T)`), or 0. */
nid chan_make_of_local(struct pkg *p, int fi, nid id);

/* Is decl (index into p->decls) a constructor whose own goroutine feeds
 * the channel it returns: a function with one unnamed channel result that
 * makes a channel with a constant buffer, starts at the top of its body
 * one goroutine that sends on it more values than the buffer holds (and
 * may close it), does nothing else with it, and returns it on every
 * return (`func Go(f func() error) chan error { ch := make(chan error);
 * go func() { ch <- f() }(); return ch }`)? Sends in a loop (a stream),
 * a send in a select, receives, or handing the channel on elsewhere: no.
 * Fills *out with the constructor's channel; free it with chan_info_free. */
bool chan_feeding_ctor(struct pkg *p, int decl, struct chan_info *out);

/* Tracks the channel returned by call, a call of a same-package feeding
 * constructor (chan_feeding_ctor), in the calling function (its creator)
 * as if the call were a make whose goroutine starts at once: the result
 * held in a local (`ch := Go(f)`), received at once (`<-Go(f)`, also as a
 * select case) or dropped (`Go(f)`, `_ = Go(f)`). False for any other use
 * (returned, stored, passed on). Free *out with chan_info_free. */
bool chan_track_ctor(struct pkg *p, int fi, nid call, struct chan_info *out);

/* The select position (enum chan_select) of op node n: a send_statement or
 * a `<-` unary expression. */
uint8_t chan_select_of(const struct gofile *f, nid n);

/* Does any op of c match: kind (kind mask: 1 << CHOP_*), goroutine `go`
 * (go == (nid)-1: any goroutine other than the creator's; -2: any)? */
enum { CHAN_ANY_GO = (nid)-2, CHAN_OTHER_GO = (nid)-1 };
bool chan_has_op(const struct chan_info *c, unsigned kinds, nid go);

/* The for statements of the function containing n, from n outward, up to
 * the function boundary: the innermost one, or 0. */
nid chan_enclosing_loop(const struct gofile *f, nid n);
/* How many times loop `loop` runs when that is a small constant: `for i :=
 * 0; i < 3; i++` or `for i := range 3`; -1 otherwise. */
long chan_loop_trips(const struct gofile *f, nid loop);
/* The same, with named constants for the bound too (`i < workers`,
 * `range workers` with `const workers = 4`). */
long chan_loop_trips_const(const struct pkg *p, int fi, nid loop);

/* How many ops of the given kinds (mask) the goroutine started by `go`
 * performs in one run, at most, over the paths of its function; -1 when
 * unknown (an op in a loop, ops in callees or several functions, the go
 * statement inside a loop of the creator that does not run a constant
 * number of times). With the go statement in a constant loop, the count is
 * multiplied; a loop that holds the make too makes a channel per iteration
 * and does not count. */
long chan_goroutine_ops(struct pkg *p, const struct chan_info *c, nid go, unsigned kinds);

/* The exits of g reachable from event index ev of block b (ev = -1: the
 * block's start) on paths where no event with stop(ud, ev) true runs:
 * return statements, or g->body for falling off the end of the body. Up to
 * max into out; returns the count. */
int chan_exits_avoiding(const struct cfg *g, int b, int ev, bool (*stop)(void *ud, nid ev), void *ud, nid *out,
                        nid *last_out, int max);
/* Does event ev fail or skip a test: a call of t.Error, t.Fatal, t.Skip...
 * on a testing.T, B, TB or F? Leaks only on paths that fail a test matter
 * less (rules lower their confidence). */
bool chan_event_fails_test(struct pkg *p, int fi, nid ev);
/* Words for messages saying which path exit `ret` (a return statement of
 * fn, or fn's body for its end) is on: "in the `<-ctx.Done()` case",
 * "when `err != nil`", "at the end of the function"; NULL when nothing
 * useful. Arena string of p. */
const char *chan_exit_why(struct pkg *p, int fi, nid fn, nid ret);

/* Is op o evaluated on every path from its function's entry to a normal
 * exit (not conditional)? */
bool chan_op_dominates(struct pkg *p, const struct chop *o);

/* Is node n (of c's file) inside a select statement one of whose cases
 * is an op of the creator on c (`select { case v := <-ch: ...; case
 * <-ctx.Done(): n }`)? */
bool chan_in_select_with(const struct chan_info *c, const struct gofile *f, nid n);

/* Writes a readable list of the package's tracked channels and their ops
 * (for tests and `godark dump-chans`). */
void chan_dump(struct pkg *p, struct buf *out);

#endif
