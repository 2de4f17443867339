/* model/scope: resolves an identifier to its local declaration by walking
 * outward through blocks, statement initialisers, case clauses and function
 * signatures, honouring Go's rule that a declaration's scope starts after
 * its statement. Iterative; bounded by the ancestor chain. */
#include "model.h"

nid model_enclosing_func(const struct gofile *f, nid n)
{
    for (nid p = ast_parent(f, n); p; p = ast_parent(f, p)) {
        enum node_kind k = ast_kind(f, p);
        if (k == N_FUNC_LITERAL || k == N_FUNCTION_DECLARATION || k == N_METHOD_DECLARATION) return p;
    }
    return 0;
}

nid model_enclosing_decl(const struct gofile *f, nid n)
{
    nid fn = model_enclosing_func(f, n);
    while (fn && ast_kind(f, fn) == N_FUNC_LITERAL) fn = model_enclosing_func(f, fn);
    return fn;
}

/* Finds `name` among the identifiers directly declared by node d (a list of
 * names: expression_list on the left of :=, var_spec names, parameter
 * names...). Returns the identifier node or 0. */
static nid find_name_in(const struct gofile *f, nid d, struct str name, enum node_field field)
{
    AST_FOR_CHILDREN(f, d, c)
    {
        if (field && f->nodes[c].field != field) continue;
        enum node_kind k = ast_kind(f, c);
        if (k == N_IDENTIFIER && str_eqs(ast_text(f, c), name)) return c;
        if (k == N_EXPRESSION_LIST) {
            AST_FOR_CHILDREN(f, c, e)
            if (ast_kind(f, e) == N_IDENTIFIER && str_eqs(ast_text(f, e), name)) return e;
        }
    }
    return 0;
}

/* Declarations made by a simple statement that is visible after it. */
static nid decl_in_stmt(const struct gofile *f, nid s, struct str name, nid *decl)
{
    nid r = 0;
    switch (ast_kind(f, s)) {
    case N_SHORT_VAR_DECLARATION:
        r = find_name_in(f, s, name, F_LEFT);
        if (r) *decl = s;
        return r;
    case N_VAR_DECLARATION:
        for (nid v = s + 1; v < f->nodes[s].end; v++)
            if (ast_kind(f, v) == N_VAR_SPEC && (r = find_name_in(f, v, name, F_NAME))) {
                *decl = v;
                return r;
            }
        return 0;
    case N_CONST_DECLARATION:
        for (nid v = s + 1; v < f->nodes[s].end; v++)
            if (ast_kind(f, v) == N_CONST_SPEC && (r = find_name_in(f, v, name, F_NAME))) {
                *decl = v;
                return r;
            }
        return 0;
    default:
        return 0;
    }
}

static nid decl_in_params(const struct gofile *f, nid list, struct str name, nid *decl)
{
    if (!list || ast_kind(f, list) != N_PARAMETER_LIST) return 0;
    AST_FOR_CHILDREN(f, list, pd)
    {
        enum node_kind k = ast_kind(f, pd);
        if (k != N_PARAMETER_DECLARATION && k != N_VARIADIC_PARAMETER_DECLARATION) continue;
        nid r = find_name_in(f, pd, name, F_NAME);
        if (r) {
            *decl = pd;
            return r;
        }
    }
    return 0;
}

bool model_resolve_local(const struct pkg *p, int fi, nid id, nid *decl_node, nid *name_node)
{
    const struct gofile *f = &p->files[fi];
    struct str name = ast_text(f, id);
    if (name.n == 0 || str_eq(name, "_")) return false;
    uint32_t pos = f->nodes[id].start_byte;
    /* the identifier may itself be the declaring name */
    nid par = ast_parent(f, id);
    if (ast_kind(f, par) == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT) {
        nid st = ast_parent(f, par);
        enum node_kind sk = ast_kind(f, st);
        if (sk == N_SHORT_VAR_DECLARATION || (sk == N_RANGE_CLAUSE && f->nodes[st].op == OP_DEFINE) ||
            (sk == N_RECEIVE_STATEMENT && f->nodes[st].op == OP_DEFINE)) {
            *decl_node = st;
            *name_node = id;
            return true;
        }
    }
    if (f->nodes[id].field == F_NAME) {
        enum node_kind pk = ast_kind(f, par);
        if (pk == N_VAR_SPEC || pk == N_CONST_SPEC || pk == N_PARAMETER_DECLARATION ||
            pk == N_VARIADIC_PARAMETER_DECLARATION) {
            *decl_node = par;
            *name_node = id;
            return true;
        }
    }
    nid child = id;
    for (nid a = ast_parent(f, id); a; child = a, a = ast_parent(f, a)) {
        nid d = 0, r = 0;
        switch (ast_kind(f, a)) {
        case N_BLOCK:
        case N_STATEMENT_LIST:
        case N_EXPRESSION_CASE:
        case N_TYPE_CASE:
        case N_DEFAULT_CASE:
        case N_COMMUNICATION_CASE: {
            /* the last declaring statement that ends before the use */
            nid best = 0, bestd = 0;
            AST_FOR_CHILDREN(f, a, s)
            {
                if (f->nodes[s].end_byte > pos) break;
                nid dd = 0, rr = decl_in_stmt(f, s, name, &dd);
                if (rr) best = rr, bestd = dd;
            }
            if (best) r = best, d = bestd;
            /* select case `v := <-ch`: visible in the case body */
            if (!r && ast_kind(f, a) == N_COMMUNICATION_CASE) {
                nid comm = ast_child(f, a, F_COMMUNICATION);
                if (comm && comm != child && ast_kind(f, comm) == N_RECEIVE_STATEMENT &&
                    f->nodes[comm].op == OP_DEFINE && (r = find_name_in(f, comm, name, F_LEFT)))
                    d = comm;
            }
            break;
        }
        case N_IF_STATEMENT:
        case N_EXPRESSION_SWITCH_STATEMENT:
        case N_TYPE_SWITCH_STATEMENT: {
            nid init = ast_child(f, a, F_INITIALIZER);
            if (init && init != child && !ast_contains(f, init, id)) r = decl_in_stmt(f, init, name, &d);
            if (!r && ast_kind(f, a) == N_TYPE_SWITCH_STATEMENT) {
                nid alias = ast_child(f, a, F_ALIAS);
                /* the declaring identifier, not its expression_list */
                if (alias && ast_kind(f, alias) == N_EXPRESSION_LIST) alias = ast_first_child(f, alias);
                if (alias && alias != id && str_eqs(ast_text(f, alias), name) &&
                    f->nodes[id].start_byte > f->nodes[alias].end_byte) {
                    /* only visible inside the clauses */
                    if (ast_kind(f, child) == N_TYPE_CASE || ast_kind(f, child) == N_DEFAULT_CASE) r = alias, d = a;
                }
            }
            break;
        }
        case N_FOR_STATEMENT: {
            AST_FOR_CHILDREN(f, a, c)
            {
                if (ast_kind(f, c) == N_FOR_CLAUSE) {
                    nid init = ast_child(f, c, F_INITIALIZER);
                    if (init && !ast_contains(f, init, id)) r = decl_in_stmt(f, init, name, &d);
                } else if (ast_kind(f, c) == N_RANGE_CLAUSE && f->nodes[c].op == OP_DEFINE) {
                    nid right = ast_child(f, c, F_RIGHT);
                    if (!(right && ast_contains(f, right, id)) && (r = find_name_in(f, c, name, F_LEFT))) d = c;
                }
            }
            break;
        }
        case N_FUNC_LITERAL:
        case N_FUNCTION_DECLARATION:
        case N_METHOD_DECLARATION:
            r = decl_in_params(f, ast_child(f, a, F_PARAMETERS), name, &d);
            if (!r) {
                nid res = ast_child(f, a, F_RESULT);
                r = decl_in_params(f, res, name, &d);
            }
            if (!r && ast_kind(f, a) == N_METHOD_DECLARATION)
                r = decl_in_params(f, ast_child(f, a, F_RECEIVER), name, &d);
            break;
        default:
            break;
        }
        if (r) {
            *decl_node = d;
            *name_node = r;
            return true;
        }
        if (ast_kind(f, a) == N_FUNCTION_DECLARATION || ast_kind(f, a) == N_METHOD_DECLARATION) break;
    }
    return false;
}

/* Is selector x.f written: the target of an assignment or ++/--, directly
 * or through an index or further field (x.f[k] = v, x.f.g++)? */
bool model_is_write_access(const struct gofile *f, nid sel)
{
    nid n = sel;
    for (;;) {
        nid par = ast_parent(f, n);
        enum node_kind pk = ast_kind(f, par);
        if ((pk == N_INDEX_EXPRESSION || pk == N_SELECTOR_EXPRESSION) && f->nodes[n].field == F_OPERAND) {
            n = par;
            continue;
        }
        if (pk == N_PARENTHESIZED_EXPRESSION) {
            n = par;
            continue;
        }
        if (pk == N_INC_STATEMENT || pk == N_DEC_STATEMENT) return true;
        if (pk == N_EXPRESSION_LIST && f->nodes[par].field == F_LEFT &&
            ast_kind(f, ast_parent(f, par)) == N_ASSIGNMENT_STATEMENT)
            return true;
        return false;
    }
}

bool model_waits_between(const struct gofile *f, nid from, nid to)
{
    for (nid k = from; k < to; k++) {
        if (ast_kind(f, k) == N_UNARY_EXPRESSION && f->nodes[k].op == OP_ARROW) return true;
        if (ast_kind(f, k) == N_CALL_EXPRESSION) {
            nid fe = ast_unparen(f, ast_child(f, k, F_FUNCTION));
            if (ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Wait")) return true;
        }
    }
    return false;
}

nid model_decl_value(const struct gofile *f, nid decl, nid name, bool *bare)
{
    enum node_kind dk = ast_kind(f, decl);
    nid values;
    unsigned idx = 0;
    if (bare) *bare = false;
    if (dk == N_SHORT_VAR_DECLARATION) {
        AST_FOR_CHILDREN(f, ast_child(f, decl, F_LEFT), c)
        {
            if (c == name) break;
            idx++;
        }
        values = ast_child(f, decl, F_RIGHT);
    } else if (dk == N_VAR_SPEC || dk == N_CONST_SPEC) {
        AST_FOR_CHILDREN(f, decl, c)
        {
            if (c == name) break;
            if (f->nodes[c].field == F_NAME) idx++;
        }
        values = ast_child(f, decl, F_VALUE);
        if (!values && bare) *bare = true;
    } else {
        return 0;
    }
    if (!values) return 0;
    if (ast_kind(f, values) != N_EXPRESSION_LIST) return idx ? 0 : values;
    return ast_nth_child(f, values, idx);
}
