/* rules/named_result_captured: GD609. A goroutine started in a function
 * with named results assigns (or reads) one of them: the function may
 * return, and its caller read the result, while the goroutine still runs.
 * How: `go func(){...}()` literals; identifiers in them that resolve to a
 * named result of the function directly around the go statement. Silent
 * when that function may join the goroutine anywhere outside the literal
 * (a receive, a select, a Wait call, a range over a channel): precision
 * first. A write is reported high; a read medium when the function writes
 * the result after the go statement (an assignment, a `return` with
 * values), low otherwise (revive's datarace shape: no writer, no race). */
#include "rulelib.h"

/* The name node of the named result of function fn that declares nm, or 0. */
static bool is_result_name(const struct gofile *f, nid fn, nid nm)
{
    nid res = ast_child(f, fn, F_RESULT);
    if (ast_kind(f, res) != N_PARAMETER_LIST) return false;
    return ast_contains(f, res, nm);
}

/* May fn join a goroutine somewhere outside the literal lit: a receive or
 * Wait call (model_waits_between), a select, a range over a channel or over
 * something of unknown type? */
static bool may_join(struct pkg *p, int fi, nid fn, nid lit)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    if (!body) return true;
    nid end = f->nodes[body].end;
    if (model_waits_between(f, body, lit) || model_waits_between(f, f->nodes[lit].end, end)) return true;
    for (nid k = body; k < end; k++) {
        if (k == lit) {
            k = f->nodes[lit].end - 1;
            continue;
        }
        if (ast_kind(f, k) == N_SELECT_STATEMENT) return true;
        if (ast_kind(f, k) == N_RANGE_CLAUSE) {
            const struct ltype *t = model_type_of(p, fi, ast_child(f, k, F_RIGHT));
            if (!t || t->kind == LT_CHAN) return true;
        }
    }
    return false;
}

/* Is identifier id written: assigned, incremented, op-assigned, or its
 * address taken? */
static bool ident_written(const struct gofile *f, nid id)
{
    if (rl_ident_is_written(f, id)) return true;
    nid par = ast_parent(f, id);
    enum node_kind pk = ast_kind(f, par);
    if (pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT) return true;
    if (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND) return true;
    if (pk == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_ASSIGNMENT_STATEMENT &&
        f->nodes[par].field == F_LEFT)
        return true;
    return false;
}

/* Does return statement r of fn give result nm its own value (`return
 * done` for result done, `return s, nil` for result s): a write of the
 * same value, not a new one? */
static bool returns_itself(struct pkg *p, int fi, nid fn, nid r, nid nm)
{
    const struct gofile *f = &p->files[fi];
    nid res = ast_child(f, fn, F_RESULT);
    unsigned idx = 0, nres = 0;
    bool found = false;
    AST_FOR_CHILDREN(f, res, pd)
    {
        bool named = false;
        AST_FOR_CHILDREN(f, pd, c)
        {
            if (f->nodes[c].field != F_NAME) continue;
            named = true;
            if (c == nm) {
                idx = nres;
                found = true;
            }
            nres++;
        }
        if (!named) nres++;
    }
    nid list = ast_first_child(f, r);
    if (!found || ast_kind(f, list) != N_EXPRESSION_LIST || ast_child_count(f, list) != nres) return false;
    nid e = ast_unparen(f, ast_nth_child(f, list, idx)), d, n2;
    return ast_kind(f, e) == N_IDENTIFIER && model_resolve_local(p, fi, e, &d, &n2) && n2 == nm;
}

/* A statement of fn after go statement g (outside the literal) that writes
 * result nm: an assignment to it, or a `return` with values; or 0. */
static nid later_write(struct pkg *p, int fi, nid fn, nid g, nid nm)
{
    const struct gofile *f = &p->files[fi];
    nid body = ast_child(f, fn, F_BODY);
    nid end = f->nodes[body].end;
    nid loop = rl_enclosing_loop(f, g);
    nid from = loop ? loop : f->nodes[g].end;
    for (nid k = from; k < end; k++) {
        enum node_kind kk = ast_kind(f, k);
        if (k == g) {
            k = f->nodes[g].end - 1;
            continue;
        }
        if (kk == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1;
            continue;
        }
        if (kk == N_RETURN_STATEMENT && ast_first_child(f, k) && !returns_itself(p, fi, fn, k, nm)) return k;
        if (kk == N_IDENTIFIER && ident_written(f, k)) {
            nid d, n2;
            if (model_resolve_local(p, fi, k, &d, &n2) && n2 == nm) return k;
        }
    }
    return 0;
}

static void visit(struct rule_ctx *ctx, nid n)
{
    const struct gofile *f = ctx->f;
    struct pkg *p = ctx->pkg;
    nid call = ast_unparen(f, ast_first_child(f, n));
    nid lit = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, lit) != N_FUNC_LITERAL) return;
    nid fn = model_enclosing_func(f, n);
    if (!fn || !ast_child(f, fn, F_RESULT)) return;
    nid reported[8];
    int nrep = 0;
    bool joined = false, join_known = false;
    for (nid k = lit; k < f->nodes[lit].end; k++) {
        if (ast_kind(f, k) != N_IDENTIFIER) continue;
        nid decl, nm;
        if (!model_resolve_local(p, ctx->fi, k, &decl, &nm) || !is_result_name(f, fn, nm)) continue;
        bool dup = false;
        for (int i = 0; i < nrep && !dup; i++) dup = reported[i] == nm;
        if (dup || nrep == (int)GD_ARRAY_LEN(reported)) continue;
        if (!join_known) {
            joined = may_join(p, ctx->fi, fn, lit);
            join_known = true;
        }
        if (joined) return;
        /* one finding per result: a write anywhere in the literal wins */
        nid site = k;
        bool write = false;
        struct str name = ast_text(f, k);
        for (nid q = lit; q < f->nodes[lit].end && !write; q++) {
            nid d2, n2;
            if (ast_kind(f, q) == N_IDENTIFIER && str_eqs(ast_text(f, q), name) &&
                model_resolve_local(p, ctx->fi, q, &d2, &n2) && n2 == nm && ident_written(f, q)) {
                write = true;
                site = q;
            }
        }
        reported[nrep++] = nm;
        struct finding *fd;
        if (write) {
            fd = rule_report_conf(ctx, site, CONF_HIGH,
                                  "the goroutine assigns %.*s, a named result of the function that starts it, "
                                  "and nothing waits for it: the function may return, and its caller read "
                                  "%.*s, while the goroutine still writes it (a data race, and the write may "
                                  "be lost)",
                                  (int)name.n, name.p, (int)name.n, name.p);
        } else {
            nid w = later_write(p, ctx->fi, fn, n, nm);
            fd = rule_report_conf(ctx, site, w ? CONF_MEDIUM : CONF_LOW,
                                  "the goroutine reads %.*s, a named result of the function that starts it, "
                                  "and nothing waits for it: %s",
                                  (int)name.n, name.p,
                                  w ? "the function writes the result (an assignment, or a return with values) "
                                      "while the goroutine may still read it, a data race"
                                    : "it shares the result variable with the function, which may write it "
                                      "when it returns");
            if (w) rule_related(ctx, fd, w, "%.*s is written here", (int)name.n, name.p);
        }
        rule_related(ctx, fd, nm, "%.*s is a named result", (int)name.n, name.p);
        fd->fix = xasprintf("give the goroutine its own variable and hand the value back over a channel, or wait "
                            "for the goroutine (sync.WaitGroup, errgroup) before returning");
    }
}

const struct rule rule_named_result_captured = {
    .id = "GD609",
    .name = "named-result-captured",
    .severity = SEV_WARNING,
    .confidence = CONF_HIGH,
    .summary = "A goroutine assigns (or reads) a named result of the function that started it, which does not wait "
               "for it.",
    .why = "Named results are ordinary variables of the function, and a func literal captures them by reference. "
           "A goroutine that assigns one keeps writing the variable after the function has returned and its "
           "caller has read the result: the write races with that read (and with the function's own `return "
           "x`, which assigns the result), and the value it meant to return is lost. godark reports a `go "
           "func(){...}()` whose literal uses a named result of the function around the go statement when that "
           "function has no point where it may join the goroutine (a channel receive, a select, a Wait call, a "
           "range over a channel): an assignment, increment or address-of with high confidence; a read with "
           "medium confidence when the function writes the result afterwards (an assignment or a return with "
           "values), and low when nothing writes it (no race unless something else does). Covers revive's "
           "datarace (its return-value half; loop variables are GD605).",
    .bad = "package p\n\nfunc load() error { return nil }\n\nfunc start() (err error) {\n\tgo func() {\n"
           "\t\terr = load()\n\t}()\n\treturn\n}\n",
    .good = "package p\n\nfunc load() error { return nil }\n\nfunc start() (err error) {\n\tdone := make(chan error, 1)\n"
            "\tgo func() {\n\t\tdone <- load()\n\t}()\n\treturn <-done\n}\n",
    .fix_safety = "Waiting for the goroutine, or handing its value back over a channel, changes when the function "
                  "returns.",
    .kinds = {N_GO_STATEMENT},
    .visit = visit,
};
