/* model: what the rules reason over. A package (the files of one directory
 * with one package clause), its imports, package-level declarations, and a
 * light type for expressions. Unknown stays unknown: NULL, never a guess. */
#ifndef GODARK_MODEL_H
#define GODARK_MODEL_H

#include "../syntax/ast.h"

struct pkg_analysis;

/* Light types. */
enum ltype_kind {
    LT_NAMED,     /* pkgpath.name (pkgpath "" for the package being checked, "builtin" for int, error...) */
    LT_POINTER,   /* *elem */
    LT_SLICE,     /* []elem */
    LT_ARRAY,     /* [len]elem; len -1 when not a constant */
    LT_MAP,       /* map[key]elem */
    LT_CHAN,      /* chan elem; dir */
    LT_FUNC,      /* func(...) */
    LT_STRUCT,    /* struct{...}: decl is the struct_type node */
    LT_INTERFACE, /* interface{...} */
    LT_TUPLE,     /* multiple results of a call: elems */
};
enum chan_dir { CHAN_BOTH, CHAN_SEND_ONLY, CHAN_RECV_ONLY };

struct ltype {
    enum ltype_kind kind;
    const char *pkgpath; /* LT_NAMED */
    const char *name;    /* LT_NAMED */
    struct ltype *elem;  /* pointer, slice, array, map value, chan element */
    struct ltype *key;   /* map key */
    long len;            /* array */
    enum chan_dir dir;   /* chan */
    /* Where the type is declared in source, when known (LT_NAMED of this
     * package, LT_STRUCT): file index in pkg->files and node. */
    int decl_file;
    nid decl;
    struct ltype **elems; /* LT_TUPLE, LT_FUNC results */
    int nelems;
};

struct file_import {
    const char *name; /* local name: alias, or the path's last element; "." for dot, "_" blank */
    const char *path;
    nid spec;
};

struct file_info {
    struct file_import *imports;
    int nimports;
    /* The minor version a `//go:build go1.N` line (alone or in a
     * conjunction) sets for this file, or -1: since Go 1.21 such a line
     * decides the file's language version. */
    int go_minor;
};

/* A package-level declaration (type, func, var, const). */
struct pkg_decl {
    const char *name;
    enum { PD_TYPE, PD_FUNC, PD_METHOD, PD_VAR, PD_CONST } what;
    int file;   /* index in pkg->files */
    nid node;   /* type_spec / function_declaration / method_declaration / var_spec / const_spec */
    nid name_node;
    const char *recv_type; /* PD_METHOD: receiver base type name */
};

struct pkg {
    const char *dir;
    const char *name; /* package clause name of the first file */
    struct gofile *files;
    struct file_info *finfo;
    int nfiles;
    /* The module's `go` directive from the nearest go.mod (or vendor.mod,
     * the file of projects such as docker that have no go.mod) above dir,
     * else from the nearest go.work: go_major.go_minor, or go_minor = -1
     * when none is found; go_file names the file ("go.mod", "vendor.mod",
     * "go.work") for messages. Per file, model_go_version. */
    int go_major, go_minor;
    const char *go_file;
    struct pkg_decl *decls;
    int ndecls;
    /* Name index of decls (pkg_lookup*): chains in declaration order,
     * heads by hash of the name (methods: of receiver type and name). */
    int *decl_head, *decl_next;
    uint32_t decl_mask;
    int *node_head, *node_next; /* the same by (file, node), for pkg_decl_index */
    /* type expressions already turned into light types, by (file, node):
     * open addressing, keys 0 empty (types.c) */
    uint64_t *tx_keys;
    struct ltype **tx_vals;
    uint32_t tx_mask, tx_n;
    struct arena arena; /* ltypes, names, tables: freed by pkg_free */
    /* Call summaries and lock findings, computed on demand (summary.h). */
    struct pkg_analysis *analysis;
    /* Tables a rule builds once per package rather than per file (in
     * arena, freed with it), by enum pkg_rule_cache. */
    void *rule_cache[12];
    /* Package functions and methods that never return normally (every path
     * panics, exits or calls another such function): decl indexes, in the
     * arena, computed on first use by model_is_noreturn_call (cfg.c). */
    int *noreturn_decls;
    int nnoreturn;
    uint8_t noreturn_state; /* 0 not computed, 1 computing, 2 done */
};

enum pkg_rule_cache {
    PKG_CACHE_ATOMICS, /* the atomic uses of GD603 and GD607 (rules/atomiclib) */
    PKG_CACHE_ORPHANS, /* GD108's channel fields and their uses */
    PKG_CACHE_OBJECTS, /* the object model (objects.h), objects_of */
    PKG_CACHE_ACCESS,  /* field accesses by class (access.h), access_of */
    PKG_CACHE_FIELD_RACES, /* GD601 across methods: what each field access is (rules/fieldrace.c) */
    PKG_CACHE_ATOMIC_COPIES, /* GD607: the values whose copy holds an atomically updated field */
    PKG_CACHE_SPAWNS, /* which func parameters each function runs in a new goroutine (spawn.h) */
    PKG_CACHE_FUNC_FIELDS, /* the one callee of each func-typed field (callees.h) */
    PKG_CACHE_FRESH_CTX, /* GD506 across calls: which functions make their own context (rules/context_not_propagated.c) */
};

/* Builds the package tables over already-parsed files. The pkg borrows the
 * files array (the caller frees the files after pkg_free). */
void pkg_init(struct pkg *p, const char *dir, struct gofile *files, int nfiles);
void pkg_free(struct pkg *p);
/* The go.mod / vendor.mod / go.work lookup of pkg_init for a directory:
 * sets *major, *minor (-1 when none) and *file (static, or NULL). It is all
 * a package's findings depend on outside its own files (check's cache key
 * hashes it). */
void model_dir_go_version(const char *dir, int *major, int *minor, const char **file);

/* The index of file f in p->files. */
int pkg_file_index(const struct pkg *p, const struct gofile *f);
/* The index in p->decls of the declaration whose node is function or
 * method fn of file fi, or -1 (a func literal). */
int pkg_decl_index(const struct pkg *p, int fi, nid fn);
/* A _test.go file. */
bool pkg_is_test_file(const struct gofile *f);
/* The value of a decimal int literal's text (underscores allowed; no
 * octal or hex) of at most max_len bytes. */
bool model_decimal_literal(struct str s, size_t max_len, long *out);
/* Is a name exported (it starts with an ASCII capital letter)? */
static inline bool model_is_exported(struct str name) { return name.n && name.p[0] >= 'A' && name.p[0] <= 'Z'; }
/* Does a function name end in Locked (`popLocked`), or is it locked or
 * ..._locked: by Go convention it is called with a lock already held?
 * (...Blocked and ...Unlocked are not.) */
static inline bool model_name_says_locked(struct str n)
{
    /* "Locked" or "locked" alone or after an underscore: not "...Blocked" */
    if (n.n < 6) return false;
    if (!memcmp(n.p + n.n - 6, "Locked", 6)) return true;
    return !memcmp(n.p + n.n - 6, "locked", 6) && (n.n == 6 || n.p[n.n - 7] == '_');
}

/* Package-level lookup by name (first match of any kind when what < 0). */
const struct pkg_decl *pkg_lookup(const struct pkg *p, struct str name, int what);
/* How many package-level declarations named `name` (files with build tags
 * may declare the same type twice: then its identity is unknown). */
int pkg_decl_count(const struct pkg *p, struct str name, int what);
/* Method `name` declared on receiver base type `type_name` in this package. */
const struct pkg_decl *pkg_lookup_method(const struct pkg *p, const char *type_name, struct str name);
/* Is top-level declaration decl (file fi) API other packages can call: an
 * exported function, or an exported method of an exported type? */
bool pkg_is_exported_api(const struct pkg *p, int fi, nid decl);

/* The method set of package-level type `type_name`: an interface's methods
 * (through embedded interfaces of this package), or the methods declared on
 * a named type (value and pointer receivers). Up to max names into out
 * (arena strings); *complete is false when some are unknown (an embedded
 * interface or struct field of another package, a type declared twice). */
int model_method_names(const struct pkg *p, const char *type_name, const char **out, int max, bool *complete);
/* Method m of the one named type of the package that declares every
 * method of interface type `iface` (a package-level interface whose
 * methods are all known), when exactly one type does; NULL otherwise
 * (none, several, or an interface with methods of another package). A
 * call through the interface may still reach types of other packages:
 * callers treat the answer as a guess. */
const struct pkg_decl *pkg_sole_implementation(const struct pkg *p, const char *iface, struct str m);

/* Can only types of this package implement package interface `iface`,
 * as far as one can tell from the source: one of its methods is
 * unexported, or its signatures name an unexported type of the package
 * (no other package can declare them), or the interface is unexported and
 * has two or more methods (another package's type would meet it by
 * accident only). False for anything but a package interface whose
 * methods are all known. */
bool pkg_interface_closed(const struct pkg *p, const char *iface);

/* The import path that identifier text `name` denotes in file fi, or NULL
 * when it is not an imported package name in that file. */
/* The language version of file fi: its `//go:build go1.N` line, else the
 * package's go.mod / vendor.mod / go.work. *minor = -1 when unknown; *from
 * (may be NULL) says where it came from ("go.mod", "vendor.mod", "go.work",
 * "//go:build"), static text. */
void model_go_version(const struct pkg *p, int fi, int *major, int *minor, const char **from);

const char *model_import_path(const struct pkg *p, int fi, struct str name);
/* Is there a dot-import of `path` in file fi? */
bool model_has_dot_import(const struct pkg *p, int fi, const char *path);

/* Does type expression or selector `n` (qualified_type, selector_expression,
 * generic_type, or a type_identifier from a dot-import) denote
 * pkgpath.name? A local type of the same name never matches. */
bool model_is_ref(const struct pkg *p, int fi, nid n, const char *pkgpath, const char *name);
/* Is `call` a call_expression of the package-level function pkgpath.name
 * (e.g. "time", "After")? Handles aliases and dot-imports; a local variable
 * shadowing the package name does not match. */
bool model_is_call(const struct pkg *p, int fi, nid call, const char *pkgpath, const char *name);

/* The light type of expression `e` in file fi, or NULL when unknown.
 * Identifiers are resolved through enclosing scopes (parameters, receivers,
 * var and := declarations, range clauses before e) and package-level vars;
 * selectors through known structs (embedded fields, pointer auto-deref). */
struct ltype *model_type_of(struct pkg *p, int fi, nid e);
/* The light type denoted by type expression `t` in file fi (never NULL:
 * an unresolvable name becomes a LT_NAMED with pkgpath "?"). */
struct ltype *model_type_from_expr(struct pkg *p, int fi, nid t);

/* Is t pkgpath.name (when deref, also *pkgpath.name)? */
bool ltype_is(const struct ltype *t, const char *pkgpath, const char *name, bool deref);
/* The name of a named type declared by the package itself (t or *t), or
 * NULL. */
const char *ltype_own_name(const struct ltype *t);
/* For a struct type (or named type whose underlying is a struct of this
 * package), does it contain `pkgpath.name` by value (directly, through
 * embedded or named struct fields of this package, or arrays)? Depth-bounded. */
bool model_contains_by_value(struct pkg *p, const struct ltype *t, const char *pkgpath, const char *name);
/* Underlying type of a named type of this package (one step), or t. */
struct ltype *model_underlying(struct pkg *p, struct ltype *t);
/* The type of field `name` of struct type t (a pointer to it, or a named
 * type of this package whose underlying type is a struct; embedded fields
 * searched too), or NULL. */
struct ltype *model_field_type(struct pkg *p, struct ltype *t, struct str name);
/* Short text for messages: "*sync.WaitGroup", "chan int". Arena string. */
const char *ltype_str(struct pkg *p, const struct ltype *t);

/* Declaration that identifier `id` (an identifier node) refers to, searched
 * from the identifier's position outward. Returns true and fills *decl_node
 * (the node that declares it: parameter_declaration, var_spec,
 * short_var_declaration, range_clause, receive_statement in a select case,
 * type_switch_statement...) and *name_node (the declaring identifier), in
 * the same file; false when it is not a local. */
bool model_resolve_local(const struct pkg *p, int fi, nid id, nid *decl_node, nid *name_node);

/* The innermost function body (function_declaration, method_declaration or
 * func_literal) containing n, or 0. */
nid model_enclosing_func(const struct gofile *f, nid n);
/* The function or method declaration around node n, through func
 * literals, or 0. */
nid model_enclosing_decl(const struct gofile *f, nid n);
/* Is selector x.f written: the target of an assignment or ++/--, directly
 * or through an index or further field (x.f[k] = v, x.f.g++)? */
bool model_is_write_access(const struct gofile *f, nid sel);
/* Does file f receive from a channel (`<-x`) or call a Wait method in
 * nodes [from, to), pre-order: a point where code may join a goroutine? */
bool model_waits_between(const struct gofile *f, nid from, nid to);
/* The expression that declaration decl (a `:=`, var spec or const spec)
 * gives identifier name, paired by position (`a, b := x, y`), or 0: no
 * value at that position (`a, b := f()` gives b none), or decl is
 * something else. *bare (may be NULL) is set when a var or const spec has
 * no values at all (`var x T`). */
nid model_decl_value(const struct gofile *f, nid decl, nid name, bool *bare);

/* Size in bytes of a value of type t when statically known (basic types,
 * pointers, arrays and structs of known fields), or -1. */
long model_sizeof(struct pkg *p, const struct ltype *t);

/* Is call a call of the predeclared function `name` (close, recover,
 * panic...), not shadowed by a local or package-level declaration? */
bool model_is_builtin_call(const struct pkg *p, int fi, nid call, const char *name);
/* Does the call certainly not return normally: panic, os.Exit,
 * runtime.Goexit, log.Fatal*, log.Panic*, and t.Fatal*, t.FailNow, t.Skip*
 * on any receiver (testing's convention), x.FatalStack-style helpers (a
 * selector whose name starts with Fatal, not FatalIf...), Ginkgo's Fail and
 * Skip, testify's require.Fail*, and same-package functions and methods
 * every path of which ends in such a call (model_calls_noreturn_func)? */
bool model_is_noreturn_call(const struct pkg *p, int fi, nid call);
/* Does call statically call a function or method of package p that never
 * returns normally? Computed for the whole package on the first call
 * (cfg.c): candidates whose body has no return statement and ends in a
 * call, if, switch or select are built into graphs until a fixpoint; a
 * function never returns when its graph reaches NORETURN and not EXIT. */
bool model_calls_noreturn_func(const struct pkg *p, int fi, nid call);

#endif
