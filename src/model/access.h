/* model/access: the reads and writes of struct fields across a package's
 * functions, grouped by field class ("T.f": field f of a struct type T of
 * the package), with the function and goroutine each runs in. Races across
 * methods (GD601) pair an access made in a goroutine the package starts
 * with a write made elsewhere that can run at the same time.
 *
 * A call of a func-typed field (`r.handler(b)`) reads it; `x.f.g` reads a
 * pointer field f (its pointee's fields are other classes).
 * Left out: fields of sync, sync/atomic and channel types (their own rules
 * judge them), fields whose address is taken (`&x.f`: atomics and
 * hand-offs), method values, accesses through embedded promotion of
 * another package's type. */
#ifndef GODARK_ACCESS_H
#define GODARK_ACCESS_H

#include "model.h"

struct field_access {
    bool write; /* x.f = v, x.f op= v, x.f++, x.f[k] = v */
    bool elem;  /* of a map's contents: x.f[k] (read or written), delete/clear(x.f, ...), range x.f, len(x.f) */
    int fi;
    nid node;   /* the selector x.f */
    nid fn;     /* the function, method or func literal whose body holds it */
    nid decl;   /* the top-level declaration around it */
};

struct field_class {
    const char *cls; /* "T.f" */
    const char *type; /* T */
    struct str field; /* f */
    struct field_access *acc;
    int nacc;
    bool writes; /* some access writes */
    bool map;    /* the field is a map */
    bool hook;   /* some write is in a method named On... (an observer callback) */
};

struct access_table {
    struct field_class *classes;
    int n;
};

/* The package's field accesses, built on first use and kept in p's rule
 * cache. Only classes with at least one write and either one access in a
 * function that runs in a goroutine the package starts, a map type or a
 * write in an observer callback method (On...) are kept (the rest cannot race across goroutines as far as the source shows;
 * a map's methods may be called from goroutines of the package's users). */
const struct access_table *access_of(struct pkg *p);

#endif
