/* rules/closurerace: a request handler that outlives its maker writes the
 * maker's variable (racelib.h, race_report_returned_handler).
 *
 * A func literal whose first parameter is a context.Context (or that takes
 * an http.ResponseWriter and an *http.Request) is a request handler: its
 * callers run it for many requests at once. When the function that makes
 * it returns it (directly, converted, `h := T(func...); return h`), the
 * variables of that function it captures are shared by every call; a
 * write to one with no lock held is a race between the calls
 * (opentelemetry-collector's processorhelper: `td, err = tracesFunc(ctx,
 * td)` assigned NewTraces' own err). */
#include <string.h>

#include "../model/summary.h"
#include "racelib.h"

/* Is func literal lit a request handler by its parameters? */
static bool handler_params(struct pkg *p, int fi, nid lit)
{
    struct ltype *t = rl_param_type(p, fi, lit, 0);
    if (ltype_is(t, "context", "Context", false)) return true;
    return ltype_is(t, "net/http", "ResponseWriter", false) &&
           ltype_is(rl_param_type(p, fi, lit, 1), "net/http", "Request", true);
}

/* Is expression e, in function fn, returned by it: a return operand
 * itself, wrapped in a conversion or composite literal that is, or the
 * value of a local `h := ...` that a return statement names? */
static bool returned(struct pkg *p, int fi, nid fn, nid e)
{
    const struct gofile *f = &p->files[fi];
    for (int depth = 0; depth < 4; depth++) {
        nid par = ast_parent(f, e);
        enum node_kind pk = ast_kind(f, par);
        if (pk == N_PARENTHESIZED_EXPRESSION || pk == N_LITERAL_ELEMENT || pk == N_KEYED_ELEMENT ||
            pk == N_LITERAL_VALUE || pk == N_COMPOSITE_LITERAL ||
            (pk == N_UNARY_EXPRESSION && f->nodes[par].op == OP_AND)) {
            e = par;
            continue;
        }
        if (pk == N_ARGUMENT_LIST) {
            /* a conversion T(lit): one argument, a call of a type */
            nid call = ast_parent(f, par);
            if (ast_first_child(f, par) != e || ast_next(f, e)) return false;
            nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
            struct str name = ast_text(f, ast_kind(f, fe) == N_SELECTOR_EXPRESSION ? ast_child(f, fe, F_FIELD) : fe);
            if (!pkg_lookup(p, name, PD_TYPE)) return false;
            e = call;
            continue;
        }
        if (pk == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_RETURN_STATEMENT) return true;
        if (pk == N_EXPRESSION_LIST && ast_kind(f, ast_parent(f, par)) == N_SHORT_VAR_DECLARATION &&
            f->nodes[par].field == F_RIGHT) {
            /* h := ...; return h */
            nid decl = ast_parent(f, par), left = ast_child(f, decl, F_LEFT);
            nid name = ast_first_child(f, left);
            if (!name || ast_next(f, name) || ast_kind(f, name) != N_IDENTIFIER) return false;
            for (nid k = fn; k < f->nodes[fn].end; k++) {
                if (ast_kind(f, k) != N_RETURN_STATEMENT) continue;
                nid list = ast_first_child(f, k);
                AST_FOR_CHILDREN(f, list, r)
                {
                    nid d, nm;
                    if (ast_kind(f, r) == N_IDENTIFIER && model_resolve_local(p, fi, r, &d, &nm) && nm == name)
                        return true;
                }
            }
            return false;
        }
        return false;
    }
    return false;
}

void race_report_returned_handler(struct rule_ctx *ctx, nid lit)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid fn = model_enclosing_func(f, ast_parent(f, lit));
    if (!fn || !handler_params(p, ctx->fi, lit) || !returned(p, ctx->fi, fn, lit)) return;
    nid body = ast_child(f, lit, F_BODY);
    for (nid k = body; body && k < f->nodes[body].end; k++) {
        if (ast_kind(f, k) == N_FUNC_LITERAL) {
            k = f->nodes[k].end - 1; /* its own calls, judged on their own */
            continue;
        }
        if (ast_kind(f, k) != N_IDENTIFIER || !rl_is_path(f, k)) continue;
        nid par = ast_parent(f, k);
        enum node_kind pk = ast_kind(f, par);
        if (pk != N_INC_STATEMENT && pk != N_DEC_STATEMENT) {
            if (pk != N_EXPRESSION_LIST || f->nodes[par].field != F_LEFT) continue;
            nid st = ast_parent(f, par);
            if (ast_kind(f, st) != N_ASSIGNMENT_STATEMENT && ast_kind(f, st) != N_SHORT_VAR_DECLARATION) continue;
        }
        nid d, nm;
        if (!model_resolve_local(p, ctx->fi, k, &d, &nm) || nm == k || ast_contains(f, lit, nm)) continue;
        if (!ast_contains(f, fn, nm) || ast_contains(f, ast_child(f, fn, F_PARAMETERS), nm)) continue;
        struct held_lock hl[2];
        if (model_locks_held_at(p, ctx->fi, lit, k, hl, 2)) continue;
        struct str v = ast_text(f, k);
        nid fname = ast_kind(f, fn) == N_FUNC_LITERAL ? 0 : ast_child(f, fn, F_NAME);
        struct str fnm = fname ? ast_text(f, fname) : str_make("the function", 12);
        struct finding *fd = rule_report_conf(
            ctx, k, CONF_LOW,
            "%.*s belongs to %.*s, which returns this func literal; the literal handles a request (it takes a %s), "
            "so its callers run it for many at once, and every call writes the same %.*s with no lock: a data race",
            (int)v.n, v.p, (int)fnm.n, fnm.p, "context or an http.Request", (int)v.n, v.p);
        rule_related_in(ctx, fd, ctx->fi, nm, "%.*s is declared here, once for all calls", (int)v.n, v.p);
        fd->fix = xasprintf("declare %.*s inside the func literal (`%.*s :=`), so that each call has its own",
                            (int)v.n, v.p, (int)v.n, v.p);
        return; /* one per literal */
    }
}
