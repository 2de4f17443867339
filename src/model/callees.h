/* model/callees: the functions a call through a function value may call
 * (issue 18). A call `x.f()`, `x.hooks[k]()`, `h()` (h ranging over or
 * taken from such a field, a local holding a function, or a parameter of
 * an unexported function) gets the set of package functions, methods and
 * func literals the package stores there, with whether the set is open
 * (code outside the package may store others) and whether some stored
 * value could not be named. A set of exactly one member, closed and fully
 * known, is a sure edge (model_callee follows it); any other set gives
 * may-edges (the lock dataflow follows them at lower confidence). */
#ifndef GODARK_CALLEES_H
#define GODARK_CALLEES_H

#include "model.h"

enum { CALLEES_MAX = 8 };

/* What a member's receiver is at the call. */
enum callee_bind {
    CM_FUNC,   /* a package function, or a literal: no receiver */
    CM_HOLDER, /* a method value (or a literal's captured variable) bound to the object the set's holder names */
    CM_OTHER,  /* a method value bound to some other object */
    CM_CAPTURE, /* a func literal defined in the calling function: its captured variables are the caller's */
};

struct callee_member {
    int decl;     /* package function or method (decl index), or -1: a func literal */
    uint8_t bind; /* enum callee_bind */
    int fi;       /* a func literal: its file and node */
    nid lit;
    /* a literal with bind CM_HOLDER: the declaring identifier (file fi)
     * through which its body names the holder's object, e.g. `s` in
     * `s.onClose = func() { s.mu.Lock() }` */
    nid root;
};

enum callee_via {
    CV_FIELD = 1, /* a func-typed struct field: x.f() */
    CV_ELEM,      /* an element of a map or slice field: x.f[k](), range, h := x.f[k] */
    CV_PARAM,     /* a func parameter of an unexported function: every call site's argument */
    CV_LOCAL,     /* a local defined once by a function value and never assigned again */
};

struct callee_set {
    uint8_t via; /* enum callee_via */
    int n;
    struct callee_member m[CALLEES_MAX];
    bool open;    /* code outside the package may store others (exported field, function used as a value) */
    bool unknown; /* some stored value is none of the above, or more than CALLEES_MAX */
    /* at the call (its file): the expression naming the object the
     * CM_HOLDER members are bound to (`x` of `x.f()`, the receiver's
     * name for a parameter of a method), or 0 */
    nid holder;
};

/* The set of the call through a function value `call` (file fi), or false
 * when the call is not one the model follows (a static call, a function of
 * another package, an expression it cannot name). */
bool model_callees(struct pkg *p, int fi, nid call, struct callee_set *out);

/* The same for a function-valued expression v (file fi) that is called
 * elsewhere (`once.Do(v)`): also a package function, a method value
 * (`s.flush`) or a func literal written there. */
bool model_value_callees(struct pkg *p, int fi, nid v, struct callee_set *out);

/* The one sure callee of a set: one package function or method, bound
 * where the call can name its receiver, the set closed and fully known;
 * else -1. */
int callee_set_sole(const struct callee_set *s);

/* Prints every call through a function value of the package with its set
 * (`godark dump-callees`). */
void callees_dump(struct pkg *p, struct buf *out);

#endif
