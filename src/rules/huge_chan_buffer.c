/* rules/huge_chan_buffer: GD201 huge-chan-buffer. make(chan T, N) with a
 * constant N above --max-chan-buffer (default 65536), with the memory the
 * buffer reserves when the element size is known.
 * How: call_expression nodes of the builtin make (not shadowed) whose first
 * argument is a channel type; N evaluated from literals, constant operators
 * and constants of this package (iterative, with an explicit stack);
 * model_sizeof for the element. Low in tests, demo trees, under 1 MiB,
 * and when no send on the variable or field the channel is stored in is
 * seen to block (all drop in a select with a default, or none in sight)
 * and the buffer is under 64 MiB. */
#include <errno.h>
#include <stdlib.h>

#include "rule.h"
#include "../check/check.h"
#include "rulelib.h"

/* Parses a Go integer literal (decimal, 0x, 0o, 0b, legacy octal, `_`
 * separators) or an integral float literal. */
static bool parse_int_lit(struct str s, bool is_float, int64_t *out)
{
    char tmp[72];
    size_t j = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '_') continue;
        if (j + 1 >= sizeof(tmp)) return false;
        tmp[j++] = s.p[i];
    }
    tmp[j] = 0;
    errno = 0;
    char *end;
    if (is_float) {
        if (strchr(tmp, 'x') || strchr(tmp, 'X')) return false; /* hex floats: not worth it */
        double d = strtod(tmp, &end);
        if (*end || errno || d < 0 || d > 9.0e15 || d != (double)(int64_t)d) return false;
        *out = (int64_t)d;
        return true;
    }
    int base = 10;
    const char *p = tmp;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) base = 16, p += 2;
    else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) base = 2, p += 2;
    else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) base = 8, p += 2;
    else if (p[0] == '0' && p[1]) base = 8, p += 1;
    long long v = strtoll(p, &end, base);
    if (*end || errno || v < 0) return false;
    *out = v;
    return true;
}

#define LIMIT (INT64_C(1) << 62)

static bool apply(enum node_op op, int64_t a, int64_t b, int64_t *r)
{
    switch (op) {
    case OP_ADD:
        if (a > LIMIT - b) return false;
        *r = a + b;
        return true;
    case OP_SUB:
        *r = a - b;
        return true;
    case OP_MUL:
        if (a != 0 && (b > LIMIT / (a < 0 ? -a : a) || b < -LIMIT / (a < 0 ? -a : a))) return false;
        *r = a * b;
        return true;
    case OP_QUO:
        if (b == 0) return false;
        *r = a / b;
        return true;
    case OP_REM:
        if (b == 0) return false;
        *r = a % b;
        return true;
    case OP_SHL:
        if (a < 0 || b < 0 || b > 62 || (a != 0 && a > (LIMIT >> b))) return false;
        *r = a << b;
        return true;
    case OP_SHR:
        if (a < 0 || b < 0 || b > 63) return false;
        *r = a >> b;
        return true;
    case OP_OR:
        *r = a | b;
        return true;
    case OP_AND:
        *r = a & b;
        return true;
    default:
        return false;
    }
}

/* The value of a constant expression e in file fi of p: literals, + - * / %
 * << >> | &, unary + and -, parentheses, conversions to a basic integer type,
 * and names of constants of this package (package-level, or local `const`)
 * with an explicit value. Post-order with an explicit stack, bounded. */
static bool const_value(struct pkg *p, int fi, nid e, int64_t *out)
{
    struct frame {
        int fi;
        nid n;
        int state;
    } st[64];
    int64_t vals[64];
    int sp = 0, vp = 0, steps = 0;
    st[sp++] = (struct frame){fi, e, 0};
    while (sp) {
        if (++steps > 512) return false;
        struct frame *fr = &st[sp - 1];
        const struct gofile *f = &p->files[fr->fi];
        nid n = fr->n;
        switch (ast_kind(f, n)) {
        case N_INT_LITERAL:
        case N_FLOAT_LITERAL: {
            int64_t v;
            if (vp >= 64 || !parse_int_lit(ast_text(f, n), ast_kind(f, n) == N_FLOAT_LITERAL, &v)) return false;
            vals[vp++] = v;
            sp--;
            break;
        }
        case N_PARENTHESIZED_EXPRESSION:
            if (fr->state == 0) {
                fr->state = 1;
                if (sp >= 64) return false;
                st[sp++] = (struct frame){fr->fi, ast_first_child(f, n), 0};
            } else {
                sp--;
            }
            break;
        case N_UNARY_EXPRESSION:
            if (f->nodes[n].op != OP_ADD && f->nodes[n].op != OP_SUB) return false;
            if (fr->state == 0) {
                fr->state = 1;
                if (sp >= 64) return false;
                st[sp++] = (struct frame){fr->fi, ast_child(f, n, F_OPERAND), 0};
            } else {
                if (f->nodes[n].op == OP_SUB) vals[vp - 1] = -vals[vp - 1];
                sp--;
            }
            break;
        case N_BINARY_EXPRESSION:
            if (fr->state < 2) {
                nid c = ast_child(f, n, fr->state == 0 ? F_LEFT : F_RIGHT);
                fr->state++;
                if (sp >= 64 || !c) return false;
                st[sp++] = (struct frame){fr->fi, c, 0};
            } else {
                if (vp < 2) return false;
                int64_t r;
                if (!apply((enum node_op)f->nodes[n].op, vals[vp - 2], vals[vp - 1], &r)) return false;
                vp -= 2;
                vals[vp++] = r;
                sp--;
            }
            break;
        case N_CALL_EXPRESSION: {
            /* int(1 << 20): a conversion to a predeclared integer type */
            nid fn = ast_unparen(f, ast_child(f, n, F_FUNCTION)), args = ast_child(f, n, F_ARGUMENTS);
            if (fr->state == 0) {
                static const char *const ints[] = {"int", "int32", "int64", "uint", "uint32", "uint64", "uintptr"};
                bool ok = false;
                for (size_t i = 0; i < GD_ARRAY_LEN(ints) && !ok; i++) ok = ast_text_is(f, fn, ints[i]);
                nid d, nm;
                if (!ok || ast_kind(f, fn) != N_IDENTIFIER || model_resolve_local(p, fr->fi, fn, &d, &nm) ||
                    pkg_lookup(p, ast_text(f, fn), -1) || ast_child_count(f, args) != 1 || sp >= 64)
                    return false;
                fr->state = 1;
                st[sp++] = (struct frame){fr->fi, ast_first_child(f, args), 0};
            } else {
                sp--;
            }
            break;
        }
        case N_IDENTIFIER: {
            if (fr->state == 1) {
                sp--;
                break;
            }
            nid decl = 0, name = 0;
            int dfi = fr->fi;
            if (!model_resolve_local(p, fr->fi, n, &decl, &name)) {
                const struct pkg_decl *pd = pkg_lookup(p, ast_text(f, n), -1);
                if (!pd || pd->what != PD_CONST) return false;
                decl = pd->node, name = pd->name_node, dfi = pd->file;
            }
            const struct gofile *g = &p->files[dfi];
            if (ast_kind(g, decl) != N_CONST_SPEC) return false;
            /* the value at the same index as the name */
            unsigned idx = 0;
            AST_FOR_CHILDREN(g, decl, c)
            {
                if (c == name) break;
                if (g->nodes[c].field == F_NAME) idx++;
            }
            nid vals_list = ast_child(g, decl, F_VALUE);
            nid v = vals_list ? ast_nth_child(g, vals_list, idx) : 0;
            if (!v || sp >= 64) return false; /* implicit repetition, iota... */
            fr->state = 1;
            st[sp++] = (struct frame){dfi, v, 0};
            break;
        }
        default:
            return false; /* iota, a call, another package's constant... */
        }
    }
    if (vp != 1) return false;
    *out = vals[0];
    return true;
}

/* "8 MiB", "1.5 GiB", "768 KiB". */
static const char *human_bytes(struct pkg *p, double b)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (b >= 1023.95 && u < 4) b /= 1024, u++; /* 1023.99 KiB prints as 1.0 MiB */
    if (b == (double)(int64_t)b) return arena_printf(&p->arena, "%.0f %s", b, units[u]);
    return arena_printf(&p->arena, "%.1f %s", b, units[u]);
}

/* Is path in a demo tree (a directory demo, demos, _example or
 * _examples on its path)? Code shown to people, not run in
 * production: like tests. */
static bool in_demo_tree(const char *path)
{
    static const char *const dirs[] = {"demo", "demos", "_example", "_examples"};
    for (size_t i = 0; i < GD_ARRAY_LEN(dirs); i++)
        if (rl_in_dir(path, dirs[i])) return true;
    return false;
}

/* The name the made channel is stored under: the variable of `x :=
 * make(...)`, `var x = make(...)`, `x = make(...)`, the field of `s.f =
 * make(...)` or of `F: make(...)` in a composite literal; *local when a
 * variable declared in a function. Empty when the channel goes elsewhere
 * (returned, handed to a call, appended). */
static struct str made_into(const struct gofile *f, nid call, bool *local, bool *field)
{
    struct str none = {0};
    *local = false;
    *field = false;
    nid e = call, par = ast_parent(f, e);
    while (ast_kind(f, par) == N_PARENTHESIZED_EXPRESSION) e = par, par = ast_parent(f, par);
    if (ast_kind(f, par) == N_LITERAL_ELEMENT && ast_kind(f, ast_parent(f, par)) == N_KEYED_ELEMENT) {
        nid kv = ast_parent(f, par);
        nid key = ast_child(f, kv, F_KEY);
        if (!key || key == par) return none;
        nid id = ast_kind(f, key) == N_LITERAL_ELEMENT ? ast_first_child(f, key) : key;
        if (ast_kind(f, id) != N_IDENTIFIER && ast_kind(f, id) != N_FIELD_IDENTIFIER) return none;
        *field = true;
        return ast_text(f, id);
    }
    if (ast_kind(f, par) != N_EXPRESSION_LIST) return none;
    unsigned idx = 0;
    for (nid c = ast_first_child(f, par); c && c != e; c = ast_next(f, c)) idx++;
    nid st = ast_parent(f, par);
    nid target = 0;
    enum node_kind sk = ast_kind(f, st);
    if (sk == N_SHORT_VAR_DECLARATION || sk == N_ASSIGNMENT_STATEMENT) {
        nid left = ast_child(f, st, F_LEFT);
        if (left == par) return none;
        target = ast_kind(f, left) == N_EXPRESSION_LIST ? ast_nth_child(f, left, idx) : (idx == 0 ? left : 0);
        *local = sk == N_SHORT_VAR_DECLARATION;
    } else if (sk == N_VAR_SPEC) {
        unsigned i = 0;
        for (nid c = ast_first_child(f, st); c; c = ast_next(f, c))
            if (f->nodes[c].field == F_NAME && i++ == idx) target = c;
        *local = ast_ancestor(f, st, N_FUNCTION_DECLARATION) || ast_ancestor(f, st, N_METHOD_DECLARATION);
    }
    if (ast_kind(f, target) == N_IDENTIFIER) {
        if (sk == N_ASSIGNMENT_STATEMENT) *local = true; /* a plain name: look in its function */
        return ast_text(f, target);
    }
    if (ast_kind(f, target) == N_SELECTOR_EXPRESSION) {
        *field = true;
        return ast_text(f, ast_child(f, target, F_FIELD));
    }
    return none;
}

/* The last name of a send's channel expression: ch, s.ch, s.chs[i];
 * *field when a selector's field. */
static struct str chan_name(const struct gofile *f, nid ch, bool *field)
{
    *field = false;
    struct str none = {0};
    for (;;) {
        ch = ast_unparen(f, ch);
        if (ast_kind(f, ch) == N_INDEX_EXPRESSION) ch = ast_child(f, ch, F_OPERAND);
        else break;
    }
    if (ast_kind(f, ch) == N_IDENTIFIER) return ast_text(f, ch);
    if (ast_kind(f, ch) == N_SELECTOR_EXPRESSION) {
        *field = true;
        return ast_text(f, ast_child(f, ch, F_FIELD));
    }
    return none;
}

/* Is send statement k a case of a select that has a default: a send that
 * gives up (drops, counts, spills) when the buffer is full? */
static bool send_has_default(const struct gofile *f, nid k)
{
    if (f->nodes[k].field != F_COMMUNICATION) return false;
    nid sel = ast_ancestor(f, k, N_SELECT_STATEMENT);
    if (!sel) return false;
    for (nid d = sel + 1; d < f->nodes[sel].end; d++)
        if (ast_kind(f, d) == N_DEFAULT_CASE && ast_ancestor(f, d, N_SELECT_STATEMENT) == sel) return true;
    return false;
}

/* What the producers of the channel made at call do when the buffer is
 * full, as far as the package shows: PROD_BLOCKS when some send under the
 * name it is stored in (a field through a selector, a variable as a plain
 * name) blocks, PROD_DROPS when every such send is a select
 * case with a default (the bounded queue with an overflow policy the rule
 * asks for), PROD_UNSEEN when no send is in sight (the channel is returned
 * or handed to other code: whether its producers block is not known). */
enum producers { PROD_UNSEEN, PROD_DROPS, PROD_BLOCKS };
static enum producers chan_producers(struct pkg *p, int fi, nid call)
{
    const struct gofile *f = &p->files[fi];
    bool local, field;
    struct str name = made_into(f, call, &local, &field);
    if (!name.n || str_eq(name, "_")) return PROD_UNSEEN;
    nid fn = 0;
    if (local) {
        fn = ast_ancestor(f, call, N_FUNCTION_DECLARATION);
        if (!fn) fn = ast_ancestor(f, call, N_METHOD_DECLARATION);
        if (!fn) fn = ast_ancestor(f, call, N_FUNC_LITERAL);
        if (!fn) return PROD_UNSEEN;
    }
    bool sends = false;
    for (int gi = 0; gi < p->nfiles; gi++) {
        if (fn && gi != fi) continue;
        const struct gofile *g = &p->files[gi];
        nid lo = fn ? fn : 1, hi = fn ? g->nodes[fn].end : g->nnodes;
        for (nid k = lo; k < hi; k++) {
            if (ast_kind(g, k) != N_SEND_STATEMENT) continue;
            bool sfield;
            struct str sname = chan_name(g, ast_child(g, k, F_CHANNEL), &sfield);
            if (sfield != field || !str_eqs(sname, name)) continue; /* a field is sent on as x.f */
            if (!send_has_default(g, k)) return PROD_BLOCKS;
            sends = true;
        }
    }
    return sends ? PROD_DROPS : PROD_UNSEEN;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    if (!model_is_builtin_call(ctx->pkg, ctx->fi, n, "make")) return;
    nid args = ast_child(f, n, F_ARGUMENTS);
    if (ast_child_count(f, args) != 2) return;
    nid ty = ast_first_child(f, args), cap = ast_next(f, ty);
    if (ast_kind(f, ast_unparen(f, ty)) != N_CHANNEL_TYPE) return;
    int64_t v;
    if (!const_value(ctx->pkg, ctx->fi, cap, &v)) return;
    long max = ctx->opts ? ctx->opts->max_chan_buffer : 65536;
    if (v <= max) return;

    struct ltype *ct = model_type_from_expr(ctx->pkg, ctx->fi, ast_unparen(f, ty));
    struct ltype *elem = ct ? ct->elem : NULL;
    long size = model_sizeof(ctx->pkg, elem);
    const char *tname = ltype_str(ctx->pkg, elem);
    if (size == 0) {
        /* struct{} and other zero-size elements: no buffer memory at all;
         * a huge capacity is then a counter or semaphore by design, which
         * may or may not be missing backpressure */
        rule_report_conf(ctx, n, CONF_LOW,
                         "channel buffer of %lld %s values (above %ld): zero-size elements take no buffer memory, "
                         "but a buffer this large rarely provides backpressure",
                         (long long)v, tname, max);
        return;
    }
    if (size > 0) {
        /* the model's struct layout is approximate (padding) */
        struct ltype *u = model_underlying(ctx->pkg, elem);
        if (u && u->kind == LT_ARRAY) u = model_underlying(ctx->pkg, u->elem);
        const char *about = u && u->kind == LT_STRUCT ? "about " : "";
        /* in tests a deep buffer only keeps helpers from blocking; below
         * 1 MiB the memory is small and the depth alone a design choice */
        enum confidence conf = CONF_HIGH;
        double bytes = (double)v * (double)size;
        /* from 64 MiB the memory alone is the bug, whatever the producers do */
        if (rl_is_test_file(f) || in_demo_tree(f->path) || bytes < 1024.0 * 1024.0 ||
            (bytes < 64.0 * 1024.0 * 1024.0 && chan_producers(ctx->pkg, ctx->fi, n) != PROD_BLOCKS))
            conf = CONF_LOW;
        rule_report_conf(ctx, n, conf,
                    "channel buffer of %lld %s values reserves %s%s when the channel is made (above "
                    "--max-chan-buffer %ld): make allocates the whole buffer at once, and a queue this deep "
                    "usually hides missing backpressure",
                    (long long)v, tname, about, human_bytes(ctx->pkg, (double)v * (double)size), max);
        return;
    }
    rule_report_conf(ctx, n,
                     rl_is_test_file(f) || in_demo_tree(f->path) ||
                             chan_producers(ctx->pkg, ctx->fi, n) != PROD_BLOCKS
                         ? CONF_LOW
                         : CONF_HIGH,
                "channel buffer of %lld values (above --max-chan-buffer %ld): make allocates the whole buffer "
                "(capacity times the element size) at once, and a queue this deep usually hides missing "
                "backpressure",
                (long long)v, max);
}

const struct rule rule_huge_chan_buffer = {
    .id = "GD201",
    .name = "huge-chan-buffer",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A channel made with a constant buffer above --max-chan-buffer (default 65536) reserves its whole "
               "buffer up front.",
    .why = "`make(chan T, n)` allocates the channel's whole ring buffer, n times the size of T, when the "
           "channel is made, not as it fills: a `make(chan [1024]byte, 1<<20)` asks for 1 GiB of heap at once "
           "and keeps it for the channel's lifetime, and the garbage collector must scan it when T holds "
           "pointers. A buffer that deep is rarely what the design needs: producers never block, so a slow "
           "consumer is hidden until memory runs out instead of slowing the producers down (backpressure). "
           "godark reports a constant capacity (a literal, a constant expression like `1 << 20`, or a constant "
           "of this package) above `--max-chan-buffer` (default 65536) and gives the memory the buffer "
           "reserves when the element size is known. For zero-size elements such as `struct{}` the buffer "
           "costs no memory, so that finding is low confidence; so are buffers in tests (a deep buffer there "
           "only keeps helper goroutines from blocking), in demo directories (demo, _example), buffers that "
           "reserve less than 1 MiB, and buffers whose producers cannot be seen to block: when every send on "
           "the channel (under the variable or field it is stored in) is a select case with a default, the "
           "queue already has the explicit overflow policy a deep buffer needs (drop, count, spill), and when "
           "no send is in sight (the channel is returned, handed to a call or appended to a slice) whether "
           "its producers block is not known; a buffer of 64 MiB or more stays reported whatever its "
           "producers do. Use a small buffer and let producers block, or "
           "a bounded queue with an explicit overflow policy.",
    .bad = "package ingest\n\n"
           "type Record struct {\n\tKey, Value string\n\tTS    int64\n}\n\n"
           "var queue = make(chan Record, 1<<20)\n\n"
           "func Push(r Record) { queue <- r }\n",
    .good = "package ingest\n\n"
            "type Record struct {\n\tKey, Value string\n\tTS    int64\n}\n\n"
            "var queue = make(chan Record, 1024)\n\n"
            "func Push(r Record) { queue <- r }\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
