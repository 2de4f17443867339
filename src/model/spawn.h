/* model/spawn: calls that run a func argument in a new goroutine: the Go
 * method of errgroup.Group and of sync.WaitGroup (Go 1.25), and functions
 * of the package that start a goroutine calling one of their func
 * parameters (a worker pool's Run(ctx, n, do), a group's Go(f)), directly
 * or by handing it on to such a call. A func literal passed there is a
 * goroutine body as much as one after `go`. */
#ifndef GODARK_SPAWN_H
#define GODARK_SPAWN_H

#include "model.h"

struct spawn_call {
    uint32_t args; /* bit k: argument k runs in a new goroutine */
    uint32_t many; /* bit k: in several at once (the callee starts them in a loop) */
    bool waits;    /* the callee waits for them (a Wait() or a receive after starting them) */
};

/* Does call run one of its func arguments in a new goroutine? Fills *out
 * when it does. Results for the package's functions are memoised in p. */
bool model_spawn_call(struct pkg *p, int fi, nid call, struct spawn_call *out);

/* The index of the parameter that identifier id (a use inside function
 * or func literal fn of file fi) names, counting names from 0; -2 for
 * fn's receiver; -1 for anything else. */
int model_param_index(const struct pkg *p, int fi, nid fn, nid id);

#endif
