/* rules/atomiclib: the package's sync/atomic uses, keyed by the object
 * they touch, and when a plain access runs before the value is shared;
 * shared by GD603 (mixed-atomic-access) and GD607 (atomic-field-copied). */
#ifndef GODARK_ATOMICLIB_H
#define GODARK_ATOMICLIB_H

#include "rulelib.h"

#include "../model/summary.h"

#include <string.h>

struct atomic_use {
    const char *key;  /* "Gname", "L<fi>:<nid>[.f.g]", "T<pkgpath>.<Type>.f.g", "S<fi>:<nid>.f" */
    const char *name; /* last name of the path, for the pre-filter */
    const char *fn;   /* "AddInt64" */
    int fi;
    nid call;
    bool write;
    /* locks held at the call (model_locks_held_at): -1 not asked yet */
    int8_t nheld;
    struct held_lock held[4];
    int next_key, next_name; /* hash chains */
};

/* The package's atomic uses (calls of sync/atomic functions whose first
 * argument is `&path`), with hash chains by key and by last name. */
struct atomics {
    struct atomic_use *uses;
    int n;
    int *key_head, *name_head;
    uint32_t mask;
};

#define FOR_KEY_USES(t, key, u)                                                                                        \
    for (int u##_i = (t)->key_head[atomic_str_hash(str_make((key), strlen(key))) & (t)->mask], u##_once = 1; u##_once;     \
         u##_once = 0)                                                                                                 \
        for (struct atomic_use *u; u##_i >= 0 && ((u = &(t)->uses[u##_i]), 1); u##_i = u->next_key)                \
            if (strcmp(u->key, (key))) {                                                                               \
            } else

static inline uint32_t atomic_str_hash(struct str s)
{
    return hash_fold32(hash_bytes(s.p, s.n));
}

/* Does file fi import sync/atomic? */
bool atomic_file_imports(const struct pkg *p, int fi);
/* Does some file of p import sync/atomic? */
bool atomic_pkg_imports(const struct pkg *p);
/* Hash chain heads for n entries (a power of two, at least 2n, all -1) in
 * arena a; *mask gets their count less one. */
int *atomic_hash_heads(struct arena *a, int n, uint32_t *mask);
/* The atomic uses of package p: scanned once (the files that import
 * sync/atomic) and kept in p's arena (rule cache PKG_CACHE_ATOMICS). */
struct atomics *atomics_of(struct pkg *p);
/* The key of the variable that path e (an identifier or selector of file
 * fi) denotes, or NULL when unknown: a package variable by name ("Gname"),
 * a local or a field path inside a local struct value by its declaration
 * ("L<fi>:<nid>.f"), else the type of the value reached through a pointer
 * and the field path from it, embedded fields spelled out ("T<pkgpath>.
 * <Type>.f.g", "S<fi>:<nid>.f" for an anonymous struct). In arena a. */
const char *atomic_key_of(struct pkg *p, struct arena *a, int fi, nid e);
/* Is nm the last name of the path of some atomic use? */
bool atomic_name_used(const struct atomics *t, struct str nm);

enum publication { PUB_NONE, PUB_CALL, PUB_SHARED };
/* Is access x (a local, or a field of a local) made before the value is
 * shared: the root local is declared in the same function, x is not in a
 * nested func literal, and nothing published it in between (PUB_NONE), or
 * only calls saw it (PUB_CALL)? For fields reached through a pointer
 * (local_key false), the pointer must hold a fresh value (`&T{}`, new;
 * with ctor, also the result of a package function named new... or New...). */
enum publication atomic_publication(struct pkg *p, int fi, nid x, bool local_key, bool ctor);
/* Is access x (through a pointer parameter of an unexported helper, in
 * its body or a callback it hands on) made on a value every caller of the
 * helper in the package has just made and not yet shared (`mm :=
 * &T{}; fill(r, mm)`): PUB_NONE, or PUB_CALL when a call also sees it
 * (the helper hands it on or calls a method on it, a caller hands it to
 * another call first)? PUB_SHARED otherwise: the helper starts a
 * goroutine, stores or returns the parameter, is used as a value or
 * has a caller passing something else. */
enum publication atomic_fresh_param(struct pkg *p, int fi, nid x);
/* Does a loop around x (inside fn) start goroutines? */
bool atomic_loop_spawns(const struct gofile *f, nid fn, nid x);
/* Is read x of a local made after the goroutines are joined (a Wait or a
 * receive after the last spawn of its function)? */
bool atomic_after_join(struct pkg *p, int fi, nid x);
/* Is x made before every goroutine its function starts (and not in a loop
 * that starts one)? */
bool atomic_before_every_go(const struct gofile *f, nid fn, nid x);

#endif
