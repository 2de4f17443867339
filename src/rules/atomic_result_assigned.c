/* rules/atomic_result_assigned: GD610 atomic-result-assigned (go vet
 * atomic). `x = atomic.AddUint64(&x, 1)`: the result of an atomic Add,
 * Swap, And or Or (package sync/atomic) assigned back to the variable it
 * updated, a plain write that races with the atomic one.
 * How: assignments (and `:=` that redeclare a variable of the same block)
 * whose right side at some position calls one of those functions with the
 * address of the left side at that position (`&x` for `x`, `p` for `*p`),
 * compared by text, blanks aside. */
#include <string.h>

#include "rulelib.h"

/* Is call a sync/atomic Add*, Swap*, And* or Or* function call? The name
 * (a static string) in *name. */
static bool atomic_update(struct rule_ctx *ctx, nid call, struct str *name)
{
    const struct gofile *f = ctx->f;
    if (ast_kind(f, call) != N_CALL_EXPRESSION) return false;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    nid fld = ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe;
    struct str s = ast_text(f, fld);
    static const char *const prefixes[] = {"Add", "Swap", "And", "Or"};
    bool pre = false;
    for (size_t i = 0; i < GD_ARRAY_LEN(prefixes); i++)
        if (s.n > strlen(prefixes[i]) && !memcmp(s.p, prefixes[i], strlen(prefixes[i]))) pre = true;
    if (!pre || s.n > 24) return false;
    char nm[32];
    memcpy(nm, s.p, s.n);
    nm[s.n] = 0;
    if (!model_is_ref(ctx->pkg, ctx->fi, fe, "sync/atomic", nm)) return false;
    *name = s;
    return true;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    nid left = ast_child(f, n, F_LEFT), right = ast_child(f, n, F_RIGHT);
    if (ast_kind(f, n) == N_ASSIGNMENT_STATEMENT && f->nodes[n].op != OP_ASSIGN) return;
    unsigned nl = ast_child_count(f, left);
    if (nl != ast_child_count(f, right)) return;
    bool define = ast_kind(f, n) == N_SHORT_VAR_DECLARATION;
    if (define && nl == 1) return; /* x := atomic.AddUint64(&x, 1) declares a new x */
    nid l = ast_first_child(f, left);
    for (nid r = ast_first_child(f, right); r && l; r = ast_next(f, r), l = ast_next(f, l)) {
        nid call = ast_unparen(f, r);
        struct str name;
        if (!atomic_update(ctx, call, &name)) continue;
        nid args = ast_child(f, call, F_ARGUMENTS);
        if (ast_child_count(f, args) != 2) continue;
        nid a0 = ast_unparen(f, ast_first_child(f, args));
        nid lv = ast_unparen(f, l);
        bool same = false;
        if (ast_kind(f, a0) == N_UNARY_EXPRESSION && f->nodes[a0].op == OP_AND) {
            nid x = ast_unparen(f, ast_first_child(f, a0));
            same = rl_same_text(f, lv, x);
            if (same && define) {
                /* `x, w := atomic.AddUint64(&x, 1), 0` assigns x only when
                 * this block already declared it */
                nid d, dn;
                same = ast_kind(f, x) == N_IDENTIFIER && model_resolve_local(ctx->pkg, ctx->fi, x, &d, &dn) &&
                       d != n && ast_parent(f, d) == ast_parent(f, n);
            }
        } else if (ast_kind(f, lv) == N_UNARY_EXPRESSION && f->nodes[lv].op == OP_MUL) {
            same = rl_same_text(f, ast_unparen(f, ast_first_child(f, lv)), a0);
        }
        if (!same) continue;
        struct str t = ast_text(f, lv);
        if (t.n > 60) t.n = 60;
        struct finding *fd = rule_report(ctx, l,
                                         "the result of atomic.%.*s is assigned to %.*s, the value it just updated "
                                         "atomically: that assignment is a plain, non-atomic write that races with "
                                         "the atomic operations on it (and undoes concurrent updates)",
                                         (int)name.n, name.p, (int)t.n, t.p);
        fd->fix = xasprintf("call atomic.%.*s without assigning its result to %.*s (use `_ =` or the value in "
                            "another variable)",
                            (int)name.n, name.p, (int)t.n, t.p);
    }
}

const struct rule rule_atomic_result_assigned = {
    .id = "GD610",
    .name = "atomic-result-assigned",
    .severity = SEV_ERROR,
    .confidence = CONF_HIGH,
    .summary = "x = atomic.AddUint64(&x, 1): the atomic result is written back to x with a plain, racing "
               "assignment.",
    .why = "`atomic.AddUint64(&x, 1)` already stores the new value in x atomically and returns it. Assigning the "
           "result to x again is an ordinary write: it races with every other goroutine's atomic operations on "
           "x (the race detector reports it), and it can overwrite an increment another goroutine made between "
           "the Add and the assignment, losing counts. The same holds for the Swap, And and Or functions, whose "
           "result is the old value: writing it back undoes the operation. godark compares the assigned "
           "expression with the address given to the call by text (`x` and `&x`, `*p` and `p`, `s.n` and "
           "`&s.n`), as go vet does. Covers go vet's atomic check.",
    .bad = "package stats\n\n"
           "import \"sync/atomic\"\n\n"
           "var hits uint64\n\n"
           "func Hit() {\n"
           "\thits = atomic.AddUint64(&hits, 1)\n"
           "}\n",
    .good = "package stats\n\n"
            "import \"sync/atomic\"\n\n"
            "var hits uint64\n\n"
            "func Hit() {\n"
            "\tatomic.AddUint64(&hits, 1)\n"
            "}\n",
    .fix_safety = "None is applied: drop the assignment (`atomic.AddUint64(&x, 1)`), or keep the result in another "
                  "variable if it is used.",
    .kinds = {N_ASSIGNMENT_STATEMENT, N_SHORT_VAR_DECLARATION},
    .visit = visit,
};
