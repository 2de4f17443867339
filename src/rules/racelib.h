/* rules/racelib: the data-race core shared by GD601 (unsynchronized-write)
 * and GD602 (concurrent-map-write): which shared variables a goroutine
 * reads and writes, which accesses of the spawner (or of other goroutines)
 * may run at the same time, and whether a lock covers both. */
#ifndef GODARK_RACELIB_H
#define GODARK_RACELIB_H

#include "rulelib.h"

enum race_kind {
    RACE_VAR, /* a variable or field: written by one side, read or written by the other */
    RACE_MAP, /* map contents: m[k] = v, delete(m, k) on one side, m[k] or range m on the other */
};

enum race_side {
    RS_SPAWNER, /* the goroutine and the function that started it, after the go statement */
    RS_SELF,    /* the goroutines one go statement starts in a loop, with each other */
    RS_OTHER,   /* two goroutines started by different go statements of one function */
};

struct race {
    uint8_t side;     /* enum race_side */
    bool low;         /* low confidence */
    nid here;         /* where to report (file of the go statement) */
    bool here_write;  /* the access at `here` writes */
    nid there;        /* the other access (0 for RS_SELF) */
    int there_fi;     /* its file */
    bool there_write;
    nid go;           /* the go statement visited */
    nid go_here;      /* RS_OTHER: the go statement of `here`'s goroutine */
    const char *name; /* the shared path as written: "count", "s.results" (arena string) */
    /* RS_SPAWNER: `here` is a call of a same-package method that makes the
     * access (at `via` in file via_fi); 0 when the access is direct */
    int via_fi;
    nid via;
    const char *via_func; /* the method's name */
};

/* The races of kind `kind` between the goroutine that go statement `go`
 * starts and the rest of its spawning function (file ctx->fi): at most one
 * per shared variable and side, each reported once across the function's
 * go statements. Up to max into out; returns the count. */
int race_find(struct rule_ctx *ctx, nid go, enum race_kind kind, struct race *out, int max);

/* The words of a race rule's findings. */
struct race_words {
    const char *noun;     /* before the shared path's name: "map " or "" */
    const char *ww, *rw;  /* what goes wrong when both sides write / when one side only reads */
    const char *self;     /* what goes wrong when the goroutines one go statement starts in a loop write */
    const char *fix_tail; /* the fix, after "guard every access to <name> with " */
};

/* Does call run a func literal argument in a new goroutine (errgroup's
 * Go, a package function that starts one calling its func parameter)?
 * Such a call is visited like a go statement. */
bool race_is_spawn_call(struct rule_ctx *ctx, nid call);

/* Reports the races of kind `kind` that race_find finds for go statement
 * go (file ctx->fi), in words w, each with its related locations (the
 * other access, the access inside a method the spawner calls, the go
 * statement) and a fix. */
void race_report(struct rule_ctx *ctx, nid go, enum race_kind kind, const struct race_words *w);

/* Races across methods (issue 15): a struct field read or written in a
 * goroutine the package starts and written, with no lock held at both
 * places, by code that can run meanwhile: the function that started the
 * goroutine (or a caller of it) after the go statement, or exported API
 * of an exported type. Reports the writes of file ctx->fi, one per field,
 * with the goroutine's access and its go statement as related locations:
 * RACE_MAP the pairs that both reach a map field's contents (`x.m[k] =
 * v` against `x.m[k]`), RACE_VAR the others. */
void race_report_fields(struct rule_ctx *ctx, enum race_kind kind);

/* Map fields across exported API (issue 15, low confidence): a map field
 * of a type with a mutex, written with no lock by an exported method,
 * while a method that locks the type's mutex elsewhere (so its callers run
 * it concurrently) reads it with no lock, itself or within two calls.
 * Reports the writes of file ctx->fi, one per field. */
void race_report_api_maps(struct rule_ctx *ctx);

/* Observer callbacks across request handlers (low confidence): a field
 * written with no lock by a method named On... (a callback that another
 * goroutine, often a watcher outside the package, runs) while an exported
 * method taking a context.Context (run per request, concurrently) reads it
 * with no lock. Reports the writes of file ctx->fi, one per field. */
void race_report_hook_writes(struct rule_ctx *ctx);

/* A request handler (a func literal taking a context.Context, or an
 * http.ResponseWriter and *http.Request) that the function making it
 * returns, writing a variable of that function with no lock: every call
 * writes the same variable (low confidence). Reports func literal lit's
 * first such write (rules/closurerace.c). */
void race_report_returned_handler(struct rule_ctx *ctx, nid lit);

/* A package variable initialised lazily (`if v == nil { v = ... }`) with
 * no lock or sync.Once in a function that exported API reaches: two first
 * calls at once race on it (low confidence). Reports if statement ifs's
 * assignment (rules/lazyinit.c). */
void race_report_lazy_init(struct rule_ctx *ctx, nid ifs);

#endif
