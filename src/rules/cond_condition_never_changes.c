/* rules/cond_condition_never_changes: GD409 cond-condition-never-changes. A
 * `for !x.ready { x.cond.Wait() }` (or `if`) whose condition reads only
 * unexported fields that nothing in the package ever sets: they keep their
 * zero values, the condition stays true, and every Wait sleeps for good
 * however often the cond is signalled.
 * How: the cond is a field class of the object model (model/objects.h) with
 * Signal or Broadcast somewhere (without, it is GD407's); the condition is
 * evaluated over zero values (`!f`, `f == nil`, `len(f) == 0`, `!f.Load()`,
 * `&&`, `||`)
 * and every field it reads must have no write, address, argument, method
 * call or composite-literal key anywhere in the package. */
#include "../model/objects.h"
#include "rule.h"
#include "rulelib.h"

enum { MAX_FIELDS = 8 };

struct leaves {
    struct str f[MAX_FIELDS];
    int n;
    bool overflow;
};

/* Is e `h.f` for the holder path h? Records f. */
static bool holder_field(const struct pkg *p, int fi, nid h, nid e, struct leaves *lv)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) != N_SELECTOR_EXPRESSION || !rl_same_path(p, fi, ast_child(f, e, F_OPERAND), h)) return false;
    if (lv->n == MAX_FIELDS) {
        lv->overflow = true;
        return false;
    }
    lv->f[lv->n++] = ast_text(f, ast_child(f, e, F_FIELD));
    return true;
}

/* Is e a zero literal: nil, 0, false, ""? */
static bool zero_literal(const struct gofile *f, nid e)
{
    e = ast_unparen(f, e);
    switch (ast_kind(f, e)) {
    case N_NIL:
    case N_FALSE: return true;
    case N_INT_LITERAL: return ast_text_is(f, e, "0");
    case N_INTERPRETED_STRING_LITERAL: return ast_text_is(f, e, "\"\"");
    case N_RAW_STRING_LITERAL: return ast_text_is(f, e, "``");
    default: return false;
    }
}

/* A field of the holder, or its atomic value `h.f.Load()`. */
static bool field_value(const struct pkg *p, int fi, nid h, nid e, struct leaves *lv)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_CALL_EXPRESSION && !ast_first_child(f, ast_child(f, e, F_ARGUMENTS))) {
        nid fe = ast_unparen(f, ast_child(f, e, F_FUNCTION));
        return ast_kind(f, fe) == N_SELECTOR_EXPRESSION && ast_text_is(f, ast_child(f, fe, F_FIELD), "Load") &&
               holder_field(p, fi, h, ast_child(f, fe, F_OPERAND), lv);
    }
    return holder_field(p, fi, h, e, lv);
}

/* A field value of the holder, or len() of a field. */
static bool field_operand(const struct pkg *p, int fi, nid h, nid e, struct leaves *lv)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_CALL_EXPRESSION && model_is_builtin_call(p, fi, e, "len")) {
        nid args = ast_child(f, e, F_ARGUMENTS);
        return ast_child_count(f, args) == 1 && holder_field(p, fi, h, ast_first_child(f, args), lv);
    }
    return field_value(p, fi, h, e, lv);
}

/* The condition's value when the holder's fields it reads are all zero: 1
 * true, 0 false, -1 unknown. */
static int zero_eval(const struct pkg *p, int fi, nid h, nid e, struct leaves *lv)
{
    const struct gofile *f = &p->files[fi];
    e = ast_unparen(f, e);
    enum node_kind k = ast_kind(f, e);
    if (k == N_UNARY_EXPRESSION && f->nodes[e].op == OP_NOT) {
        nid o = ast_child(f, e, F_OPERAND);
        if (field_value(p, fi, h, o, lv)) return 1; /* !f: a bool, false */
        int v = zero_eval(p, fi, h, o, lv);
        return v < 0 ? -1 : !v;
    }
    if (k != N_BINARY_EXPRESSION) return -1;
    nid l = ast_child(f, e, F_LEFT), r = ast_child(f, e, F_RIGHT);
    int op = f->nodes[e].op;
    if (op == OP_LAND || op == OP_LOR) {
        int a = zero_eval(p, fi, h, l, lv), b = zero_eval(p, fi, h, r, lv);
        if (op == OP_LAND) return a == 0 || b == 0 ? 0 : a == 1 && b == 1 ? 1 : -1;
        return a == 1 || b == 1 ? 1 : a == 0 && b == 0 ? 0 : -1;
    }
    if (op != OP_EQL && op != OP_NEQ) return -1;
    if (zero_literal(f, l)) {
        nid t = l;
        l = r, r = t;
    }
    if (!zero_literal(f, r) || !field_operand(p, fi, h, l, lv)) return -1;
    return op == OP_EQL;
}

/* Is type T embedded in a struct of the package (its fields promoted to
 * another type, whose selectors we would not match)? */
static bool embedded_anywhere(const struct pkg *p, const char *t)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            if (f->nodes[k].kind != N_FIELD_DECLARATION || ast_child(f, k, F_NAME)) continue;
            nid ty = ast_child(f, k, F_TYPE);
            if (ast_kind(f, ty) == N_POINTER_TYPE) ty = ast_first_child(f, ty);
            if (ast_kind(f, ty) == N_GENERIC_TYPE) ty = ast_first_child(f, ty);
            if (ast_text_is(f, ty, t)) return true;
        }
    }
    return false;
}

/* Is the use of field selector sel a plain read: in a comparison or
 * condition, len/cap, Load, indexed or selected further for reading,
 * assigned from, returned? Anything we do not know counts as a change. */
static bool read_only_use(const struct pkg *p, int fi, nid sel)
{
    const struct gofile *f = &p->files[fi];
    if (rl_expr_written(p, fi, sel)) return false;
    nid e = sel;
    for (;;) {
        nid par = ast_parent(f, e);
        enum node_kind pk = ast_kind(f, par);
        if (pk == N_PARENTHESIZED_EXPRESSION || (pk == N_INDEX_EXPRESSION && f->nodes[e].field == F_OPERAND)) {
            e = par;
            continue;
        }
        if (pk == N_SELECTOR_EXPRESSION && f->nodes[e].field == F_OPERAND) {
            nid call = ast_parent(f, par);
            if (ast_kind(f, call) == N_CALL_EXPRESSION && f->nodes[par].field == F_FUNCTION)
                return ast_text_is(f, ast_child(f, par, F_FIELD), "Load");
            e = par;
            continue;
        }
        switch (pk) {
        case N_BINARY_EXPRESSION:
        case N_IF_STATEMENT:
        case N_FOR_STATEMENT:
        case N_RETURN_STATEMENT:
        case N_EXPRESSION_CASE:
            return true;
        case N_UNARY_EXPRESSION: return f->nodes[par].op == OP_NOT || f->nodes[par].op == OP_SUB;
        case N_EXPRESSION_LIST: {
            nid st = ast_parent(f, par);
            if (f->nodes[par].field == F_RIGHT &&
                (ast_kind(f, st) == N_ASSIGNMENT_STATEMENT || ast_kind(f, st) == N_SHORT_VAR_DECLARATION))
                return true;
            return ast_kind(f, st) == N_RETURN_STATEMENT || ast_kind(f, st) == N_EXPRESSION_SWITCH_STATEMENT;
        }
        case N_ARGUMENT_LIST: {
            nid call = ast_parent(f, par);
            return model_is_builtin_call(p, fi, call, "len") || model_is_builtin_call(p, fi, call, "cap");
        }
        default: return false;
        }
    }
}

/* Does nothing in the package ever set field fld of type T: every
 * selector of it a read, no composite literal key of that name, no
 * positional literal of T? */
static bool never_set(struct pkg *p, const char *t, struct str fld)
{
    for (int fi = 0; fi < p->nfiles; fi++) {
        const struct gofile *f = &p->files[fi];
        for (nid k = 1; k < f->nnodes; k++) {
            enum node_kind kk = f->nodes[k].kind;
            if (kk == N_KEYED_ELEMENT) {
                nid key = ast_first_child(f, ast_child(f, k, F_KEY));
                if (str_eqs(ast_text(f, key), fld)) return false; /* any type: element types may be elided */
                continue;
            }
            if (kk == N_LITERAL_VALUE) {
                /* positional elements, in a literal that may be of T (`T{1, 2}`, `[]T{{1, 2}}`) */
                nid el = ast_first_child(f, k);
                if (!el || ast_kind(f, el) != N_LITERAL_ELEMENT) continue;
                nid lit = ast_ancestor(f, k, N_COMPOSITE_LITERAL);
                struct str ty = lit ? ast_text(f, ast_child(f, lit, F_TYPE)) : str_make("", 0);
                for (size_t i = 0; i + strlen(t) <= ty.n; i++)
                    if (!memcmp(ty.p + i, t, strlen(t))) return false;
                continue;
            }
            if (kk != N_SELECTOR_EXPRESSION || !str_eqs(ast_text(f, ast_child(f, k, F_FIELD)), fld)) continue;
            const char *tn = ltype_own_name(model_type_of(p, fi, ast_child(f, k, F_OPERAND)));
            if (!tn) {
                /* an operand of unknown type may be a T: only a read is safe */
                if (!read_only_use(p, fi, k)) return false;
                continue;
            }
            if (!strcmp(tn, t) && !read_only_use(p, fi, k)) return false;
        }
    }
    return true;
}


static void visit(struct rule_ctx *ctx, nid call)
{
    struct pkg *p = ctx->pkg;
    const struct gofile *f = ctx->f;
    nid fe = ast_unparen(f, ast_child(f, call, F_FUNCTION));
    if (ast_kind(f, fe) != N_SELECTOR_EXPRESSION || !ast_text_is(f, ast_child(f, fe, F_FIELD), "Wait")) return;
    nid x = ast_unparen(f, ast_child(f, fe, F_OPERAND));
    if (ast_kind(f, x) != N_SELECTOR_EXPRESSION || rl_pkg_has_error(p)) return;
    const struct obj_class *c = objects_class_at(objects_of(p), ctx->fi, x);
    if (!c || c->kind != OBJ_COND) return;
    bool woken = false;
    for (int k = 0; k < c->nuses; k++) woken |= c->uses[k].op == OO_SIGNAL || c->uses[k].op == OO_BROADCAST;
    if (!woken) return; /* GD407 */
    nid fn = model_enclosing_func(f, call);
    nid h = ast_unparen(f, ast_child(f, x, F_OPERAND));
    /* the condition: of the loop around the Wait (`for cond {`), else of the if around it */
    nid cond = 0;
    nid loop = rl_enclosing_loop(f, call);
    if (loop) {
        nid first = ast_first_child(f, loop);
        enum node_kind k = ast_kind(f, first);
        if (k == N_BLOCK || k == N_FOR_CLAUSE || k == N_RANGE_CLAUSE) return;
        cond = first;
    } else {
        for (nid k = ast_parent(f, call); k && k != fn && !cond; k = ast_parent(f, k))
            if (ast_kind(f, k) == N_IF_STATEMENT && ast_contains(f, ast_child(f, k, F_CONSEQUENCE), call)) {
                if (ast_child(f, k, F_INITIALIZER)) return;
                cond = ast_child(f, k, F_CONDITION);
            }
    }
    if (!cond) return;
    struct leaves lv = {0};
    if (zero_eval(p, ctx->fi, h, cond, &lv) != 1 || lv.overflow || !lv.n) return;
    if (rl_type_declared_twice(p, c->type) || embedded_anywhere(p, c->type)) return;
    for (int i = 0; i < lv.n; i++)
        if (model_is_exported(lv.f[i]) || !never_set(p, c->type, lv.f[i])) return;
    struct str xt = ast_text(f, x), ct = ast_text(f, cond);
    if (xt.n > 60) xt.n = 60;
    if (ct.n > 60) ct.n = 60;
    enum confidence conf = rl_is_test_file(f) ? CONF_LOW : ctx->rule->confidence;
    struct finding *fd = rule_report_conf(ctx, call, conf,
                                          "%.*s.Wait sleeps forever: nothing in the package ever sets %s.%.*s, so the "
                                          "condition `%.*s` stays true however often the cond is signalled",
                                          (int)xt.n, xt.p, c->type, (int)lv.f[0].n, lv.f[0].p, (int)ct.n, ct.p);
    if (fd)
        fd->fix = xasprintf("set %s.%.*s (with the cond's lock held) where the event it stands for happens, "
                            "before Signal or Broadcast",
                            c->type, (int)lv.f[0].n, lv.f[0].p);
}

const struct rule rule_cond_condition_never_changes = {
    .id = "GD409",
    .name = "cond-condition-never-changes",
    .severity = SEV_ERROR,
    .confidence = CONF_MEDIUM,
    .summary = "A sync.Cond is waited on in a loop whose condition reads only fields that nothing in the package "
               "ever sets: the condition stays true and every Wait sleeps for good.",
    .why = "`for !s.started { s.cond.Wait() }` returns only once another goroutine makes the condition false "
           "and then signals. When the fields the condition reads are never set anywhere (the assignment was "
           "lost in a refactor, or is made to another field), each Signal or Broadcast wakes the waiter only "
           "for it to find the condition unchanged and wait again: it sleeps for good, however often the cond "
           "is signalled. godark takes the condition of the loop around a `Wait` on a cond kept in a struct "
           "field (or of the `if` around it), evaluates it with the fields it reads at their zero values "
           "(`!f`, `f == nil`, `f == 0`, `len(f) == 0`, `!f.Load()`, joined by `&&`, `||`), and when it is "
           "true checks that every such field is unexported and never written, incremented, stored to, "
           "address-taken, passed to a function, called a method on (other than `Load`) or named as a key in a "
           "composite literal anywhere in the package, tests included, and that the struct is not embedded in "
           "another. A cond that is never signalled at all is GD407's. In test files the confidence is low.",
    .bad = "package server\n\nimport \"sync\"\n\n"
           "type Server struct {\n\tmu      sync.Mutex\n\tcond    *sync.Cond\n\tstarted bool\n}\n\n"
           "func New() *Server {\n\ts := &Server{}\n\ts.cond = sync.NewCond(&s.mu)\n\treturn s\n}\n\n"
           "// Start wakes the waiters but forgets to set started.\n"
           "func (s *Server) Start() {\n\ts.mu.Lock()\n\ts.cond.Broadcast()\n\ts.mu.Unlock()\n}\n\n"
           "func (s *Server) WaitStarted() {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n"
           "\tfor !s.started {\n\t\ts.cond.Wait()\n\t}\n}\n",
    .good = "package server\n\nimport \"sync\"\n\n"
            "type Server struct {\n\tmu      sync.Mutex\n\tcond    *sync.Cond\n\tstarted bool\n}\n\n"
            "func New() *Server {\n\ts := &Server{}\n\ts.cond = sync.NewCond(&s.mu)\n\treturn s\n}\n\n"
            "func (s *Server) Start() {\n\ts.mu.Lock()\n\ts.started = true\n\ts.cond.Broadcast()\n\ts.mu.Unlock()\n}\n\n"
            "func (s *Server) WaitStarted() {\n\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n"
            "\tfor !s.started {\n\t\ts.cond.Wait()\n\t}\n}\n",
    .fix_safety = NULL,
    .kinds = {N_CALL_EXPRESSION},
    .visit = visit,
};
