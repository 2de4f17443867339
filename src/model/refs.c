/* model/refs: does a name or call refer to a given standard-library
 * package member, through aliases and dot-imports, and not through a local
 * that shadows the package name? */
#include <string.h>

#include "model.h"

/* The package path an identifier operand denotes, or NULL when it is a
 * local (shadowing) or not an imported name. */
static const char *operand_pkg(const struct pkg *p, int fi, nid id)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, id) != N_IDENTIFIER && ast_kind(f, id) != N_PACKAGE_IDENTIFIER) return NULL;
    nid d, nm;
    if (ast_kind(f, id) == N_IDENTIFIER && model_resolve_local(p, fi, id, &d, &nm)) return NULL;
    return model_import_path(p, fi, ast_text(f, id));
}

bool model_is_ref(const struct pkg *p, int fi, nid n, const char *pkgpath, const char *name)
{
    const struct gofile *f = &p->files[fi];
    for (int guard = 0; n && guard < 8; guard++) {
        switch (ast_kind(f, n)) {
        case N_PARENTHESIZED_TYPE:
        case N_PARENTHESIZED_EXPRESSION:
            n = ast_first_child(f, n);
            continue;
        case N_GENERIC_TYPE:
            n = ast_child(f, n, F_TYPE);
            continue;
        /* the member's name first: resolving the operand is the costly part */
        case N_QUALIFIED_TYPE: {
            if (!ast_text_is(f, ast_child(f, n, F_NAME), name)) return false;
            const char *path = operand_pkg(p, fi, ast_child(f, n, F_PACKAGE));
            return path && !strcmp(path, pkgpath);
        }
        case N_SELECTOR_EXPRESSION: {
            if (!ast_text_is(f, ast_child(f, n, F_FIELD), name)) return false;
            const char *path = operand_pkg(p, fi, ast_unparen(f, ast_child(f, n, F_OPERAND)));
            return path && !strcmp(path, pkgpath);
        }
        case N_TYPE_IDENTIFIER:
        case N_IDENTIFIER: {
            if (!ast_text_is(f, n, name) || !model_has_dot_import(p, fi, pkgpath)) return false;
            nid d, nm;
            if (ast_kind(f, n) == N_IDENTIFIER && model_resolve_local(p, fi, n, &d, &nm)) return false;
            return pkg_lookup(p, ast_text(f, n), -1) == NULL;
        }
        default:
            return false;
        }
    }
    return false;
}

bool model_is_call(const struct pkg *p, int fi, nid call, const char *pkgpath, const char *name)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    return model_is_ref(p, fi, ast_child(f, call, F_FUNCTION), pkgpath, name);
}

bool model_is_builtin_call(const struct pkg *p, int fi, nid call, const char *name)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) != N_IDENTIFIER || !ast_text_is(f, fn, name)) return false;
    nid d, nm;
    if (model_resolve_local(p, fi, fn, &d, &nm)) return false;
    return pkg_lookup(p, ast_text(f, fn), -1) == NULL;
}

/* A t.Fatal-style helper by name: FatalStack, Fatalw, FatalDepth (testutil,
 * klog, zap), but not FatalIfErr or FatalOnError, which return when there
 * is nothing to report. */
static bool fatal_helper(struct str s)
{
    if (s.n < 6 || memcmp(s.p, "Fatal", 5)) return false;
    for (size_t i = 5; i + 1 < s.n; i++)
        if ((s.p[i] == 'I' && s.p[i + 1] == 'f') || (s.p[i] == 'O' && s.p[i + 1] == 'n') ||
            (s.p[i] == 'E' && s.p[i + 1] == 'r') || (s.p[i] == 'W' && s.p[i + 1] == 'h') ||
            (s.p[i] == 'U' && s.p[i + 1] == 'n'))
            return false;
    return true;
}

bool model_is_noreturn_call(const struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    if (model_is_builtin_call(p, fi, call, "panic")) return true;
    if (model_is_call(p, fi, call, "os", "Exit") || model_is_call(p, fi, call, "runtime", "Goexit")) return true;
    static const char *const logf[] = {"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"};
    for (size_t i = 0; i < GD_ARRAY_LEN(logf); i++)
        if (model_is_call(p, fi, call, "log", logf[i])) return true;
    nid fn = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fn) == N_SELECTOR_EXPRESSION) {
        static const char *const tm[] = {"Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow"};
        nid fld = ast_child(f, fn, F_FIELD);
        for (size_t i = 0; i < GD_ARRAY_LEN(tm); i++)
            if (ast_text_is(f, fld, tm[i])) return true;
        if (fatal_helper(ast_text(f, fld))) return true;
    }
    /* test frameworks whose failure calls panic or t.FailNow */
    static const char *const ginkgo[] = {"github.com/onsi/ginkgo", "github.com/onsi/ginkgo/v2", "github.com/bsm/ginkgo",
                                         "github.com/bsm/ginkgo/v2"};
    for (size_t i = 0; i < GD_ARRAY_LEN(ginkgo); i++)
        if (model_is_call(p, fi, call, ginkgo[i], "Fail") || model_is_call(p, fi, call, ginkgo[i], "Skip"))
            return true;
    if (model_is_call(p, fi, call, "github.com/stretchr/testify/require", "Fail") ||
        model_is_call(p, fi, call, "github.com/stretchr/testify/require", "Failf"))
        return true;
    return model_calls_noreturn_func(p, fi, call);
}
