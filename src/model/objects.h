/* model/objects: the package's concurrency objects by class (issue 13,
 * first part). A class is field f of a named struct type T of the package
 * ("T.f") whose declared type is a channel, sync.Cond, sync.WaitGroup,
 * context.CancelFunc, a *time.Timer or a *time.Ticker (pointers to the
 * sync types too). Every mention `x.f` in the package where x is a T or *T
 * (or a type of the package that embeds T, through embedded structs) is
 * one use of the class; a mention on a value whose type is not known makes
 * every class of that field name open. Each use is classified by what is
 * done to it (make, send, receive, range, close, Wait/Signal/Broadcast,
 * Add/Done/Wait, a cancel call, Stop/Reset, returned by a method: a getter)
 * or, for anything else, an escape that makes the class open (code we do
 * not follow may use it). Fields of anonymous struct fields
 * (`x.sub.quit`) are not classes yet.
 * Each use knows the function around it and its goroutine context: inside
 * a func literal started by `go`, inside a method of T that the package
 * starts with `go x.m()` (directly or in a `go func(){...}()`), inside a
 * function or method such a goroutine reaches through same-package calls
 * (a go-callee), and whether its function is exported (an entry point for
 * other packages).
 * `godark dump-objects FILE.go...` prints the model. Rules on it (see
 * docs/ARCHITECTURE.md for the full list): GD108
 * (receives through getters), GD504 (a cancel func in a field nobody
 * calls), GD307 (a WaitGroup nobody marks done), GD407 (a Cond nobody
 * signals).
 */
#ifndef GODARK_OBJECTS_H
#define GODARK_OBJECTS_H

#include "chan.h"
#include "model.h"

enum obj_kind { OBJ_CHAN, OBJ_COND, OBJ_WAITGROUP, OBJ_CANCEL, OBJ_TIMER };

enum obj_op {
    OO_MAKE,      /* x.f = make(chan T, n) (or f: make(...) in a T literal), sync.NewCond,
                     context.WithCancel and friends, time.NewTimer/NewTicker/AfterFunc;
                     f: cancel in a T literal, cancel a local from WithCancel used nowhere else */
    OO_SEND,      /* x.f <- v */
    OO_RECV,      /* <-x.f */
    OO_RANGE,     /* for v := range x.f */
    OO_CLOSE,     /* close(x.f) */
    OO_WAIT,      /* x.f.Wait(): a Cond or a WaitGroup */
    OO_SIGNAL,    /* x.f.Signal() */
    OO_BROADCAST, /* x.f.Broadcast() */
    OO_ADD,       /* x.f.Add(n) */
    OO_DONE,      /* x.f.Done() */
    OO_CANCEL,    /* x.f(): the cancel func called */
    OO_STOP,      /* x.f.Stop() */
    OO_RESET,     /* x.f.Reset(d) */
    OO_GET,       /* return x.f: a getter hands it out */
    OO_SET,       /* x.f = v (not a make): set from elsewhere */
    OO_NEUTRAL,   /* len, cap, a nil comparison: changes nothing */
    OO_ESCAPE,    /* anything else: passed, stored, address taken */
};

/* goroutine context of a use */
enum {
    OCTX_GO_LITERAL = 1, /* inside a func literal started by a go statement */
    OCTX_GO_METHOD = 2,  /* inside a method of T that the package starts with go */
    OCTX_EXPORTED = 4,   /* its top-level function or method is exported */
    OCTX_TEST = 8,       /* in a _test.go file */
    OCTX_GO_CALLEE = 16, /* in a function or method that such a goroutine calls (same package, any depth);
                            it may be called from elsewhere too */
};

struct obj_use {
    uint8_t op;     /* enum obj_op */
    uint8_t select; /* enum chan_select (chan.h) for sends and receives */
    uint8_t ctx;    /* OCTX_* */
    int fi;
    nid node; /* the selector x.f */
    nid fn;   /* the function declaration, method or func literal whose body holds it */
    nid decl; /* the top-level function or method around it */
};

/* Does use u (a send or receive) block like a plain operation: not in a
 * select, or the only case of a select without default? */
static inline bool obj_use_blocks(const struct obj_use *u)
{
    return u->select == CHSEL_NONE || u->select == CHSEL_ALONE;
}

struct obj_class {
    enum obj_kind kind;
    const char *type; /* T */
    struct str field; /* f */
    int fi;           /* file of the field declaration */
    nid field_node;   /* the field_identifier */
    long buf;         /* channels: the buffer of the makes (-1 not constant or they differ), 0 unbuffered */
    bool open;        /* an escape or a set from elsewhere: uses we do not see */
    struct obj_use *uses;
    int nuses;
};

/* A function or method of the package that a go statement starts
 * (`go x.m()`, `go f()`, or called directly in a `go func(){...}()`). */
struct obj_spawn {
    const struct pkg_decl *decl;
    int go_fi;
    nid go;
};

struct obj_model {
    struct obj_class *classes;
    int n;
    const struct pkg_decl **callees; /* the go-callees (OCTX_GO_CALLEE) */
    int ncallees;
    struct obj_spawn *spawns; /* the first go statement starting each, in source order */
    int nspawns;
};

/* Builds the model of package p (memory in p's arena). */
void objects_build(struct pkg *p, struct obj_model *out);
/* The model of p, built on first use and kept in p's rule cache. */
const struct obj_model *objects_of(struct pkg *p);
/* The class and use of selector node sel of file fi, or NULL. */
const struct obj_class *objects_class_at(const struct obj_model *m, int fi, nid sel);
/* The go statement that starts the goroutine running node n of file fi (n
 * may be the function, method or func literal itself):
 * the `go func(){...}()` around it, else a `go x.m()` (or a go func
 * literal calling x.m() directly) of the package for the method m holding
 * it, or a `go f()` for the package function f holding it. Sets *go_fi to
 * its file; 0 when the package starts none (the first one found when
 * several do). */
nid objects_spawn_site(struct pkg *p, int fi, nid n, int *go_fi);
/* The package function or method that expression v (file fi) names as a
 * value: `o.expire` (a method value of a package type), `handle` (a
 * package function); NULL otherwise. */
const struct pkg_decl *objects_func_value(struct pkg *p, int fi, nid v);
/* Does node n of file fi (or the function, method or func literal n
 * itself) run in a goroutine the package starts: inside a
 * func literal started by go, or in a function or method that a go
 * statement starts or that such a goroutine calls (same package)? */
bool objects_in_goroutine(struct pkg *p, const struct obj_model *m, int fi, nid n);
/* The value assigned to selector sel, an element of an assignment's left
 * list: its partner on the right (one to one), or the one call on the right
 * (`ctx, x.cancel = context.WithCancel(ctx)`); else 0. */
nid objects_assigned_value(const struct gofile *f, nid sel);
/* A readable listing, for tests and `godark dump-objects`. */
void objects_dump(struct pkg *p, const struct obj_model *m, struct buf *out);

#endif
