/* profile/healthy: shapes of healthy goroutines that a single snapshot can
 * recognise with --source: a pool whose size is the constant bound of the
 * loop that starts it, idle `range` receivers of a pool started at one
 * place, and waits that a timer ends. Such sites are reported at low
 * confidence only; a series of snapshots (godark diff) judges them by trend. */
#include "profile_p.h"

#include <dirent.h>
#include <stdlib.h>

#include "../syntax/parse.h"

/* Idle range receivers of one creator up to this many look like a pool. */
#define POOL_IDLE_MAX 16

struct parsed {
    char *path;
    struct gofile f;
    bool ok;
};
static VEC(struct parsed) files;
static struct syntax_parser *parser;

static const struct gofile *parse_path(const char *path)
{
    for (size_t i = 0; i < files.len; i++)
        if (!strcmp(files.items[i].path, path)) return files.items[i].ok ? &files.items[i].f : NULL;
    struct parsed pf = {xstrdup(path), {0}, false};
    char *data;
    size_t len;
    const char *err;
    if (read_file_all(path, &data, &len, &err)) {
        if (!parser) parser = syntax_parser_new();
        syntax_parse(parser, path, data, len, &pf.f);
        pf.ok = true;
    }
    vec_push(&files, pf);
    return pf.ok ? &files.items[files.len - 1].f : NULL;
}

void prof_healthy_free(void)
{
    for (size_t i = 0; i < files.len; i++) {
        free(files.items[i].path);
        if (files.items[i].ok) gofile_free(&files.items[i].f);
    }
    vec_free(&files);
    if (parser) syntax_parser_free(parser);
    parser = NULL;
}

/* The first node of kind k that starts on line. */
static nid node_at_line(const struct gofile *f, int line, enum node_kind k)
{
    for (nid n = 1; n < f->nnodes; n++)
        if ((int)f->nodes[n].line == line && ast_kind(f, n) == k) return n;
    return 0;
}

/* A timer's channel: x.C (time.Ticker, time.Timer), time.After(d), time.Tick(d). */
static bool timer_chan(const struct gofile *f, nid e)
{
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_SELECTOR_EXPRESSION) return ast_text_is(f, ast_child(f, e, F_FIELD), "C");
    if (ast_kind(f, e) == N_CALL_EXPRESSION) {
        nid fn = ast_child(f, e, F_FUNCTION);
        return ast_text_is(f, fn, "time.After") || ast_text_is(f, fn, "time.Tick");
    }
    return false;
}

static bool timer_recv_in(const struct gofile *f, nid root)
{
    for (nid n = root; n < f->nodes[root].end; n++)
        if (ast_kind(f, n) == N_UNARY_EXPRESSION && f->nodes[n].op == OP_ARROW &&
            timer_chan(f, ast_child(f, n, F_OPERAND)))
            return true;
    return false;
}

/* Is the channel e a local variable made (or declared nil) in the function
 * around node at? Then nobody else holds it: a leak, never a pool's queue. */
static bool local_chan(const struct gofile *f, nid e, nid at)
{
    e = ast_unparen(f, e);
    if (ast_kind(f, e) != N_IDENTIFIER) return false;
    struct str name = ast_text(f, e);
    nid fn = at;
    while (fn && ast_kind(f, fn) != N_FUNC_LITERAL && ast_kind(f, fn) != N_FUNCTION_DECLARATION &&
           ast_kind(f, fn) != N_METHOD_DECLARATION)
        fn = ast_parent(f, fn);
    if (!fn) return false;
    for (nid n = fn; n < f->nodes[fn].end; n++) {
        enum node_kind k = ast_kind(f, n);
        if (k != N_SHORT_VAR_DECLARATION && k != N_VAR_SPEC) continue;
        AST_FOR_CHILDREN(f, n, c) {
            nid id = ast_kind(f, c) == N_EXPRESSION_LIST ? ast_first_child(f, c) : c;
            if (f->nodes[c].field != F_LEFT && f->nodes[c].field != F_NAME) continue;
            for (; id; id = ast_kind(f, c) == N_EXPRESSION_LIST ? ast_next(f, id) : 0)
                if (ast_kind(f, id) == N_IDENTIFIER && str_eqs(ast_text(f, id), name)) return true;
        }
    }
    return false;
}

/* Does any receive in root (or root itself, a range's channel) take from a
 * channel local to its function? */
static bool recv_from_local(const struct gofile *f, nid root)
{
    if (ast_kind(f, root) == N_FOR_STATEMENT) {
        AST_FOR_CHILDREN(f, root, c)
            if (ast_kind(f, c) == N_RANGE_CLAUSE && local_chan(f, ast_child(f, c, F_RIGHT), root)) return true;
        return false;
    }
    for (nid n = root; n < f->nodes[root].end; n++) {
        if (ast_kind(f, n) == N_BLOCK) n = f->nodes[n].end - 1; /* a case's body is not its wait */
        else if (ast_kind(f, n) == N_UNARY_EXPRESSION && f->nodes[n].op == OP_ARROW &&
                 local_chan(f, ast_child(f, n, F_OPERAND), root))
            return true;
    }
    return false;
}

/* An integer literal, or a package constant set to one (in the file or in
 * another .go file of its directory); -1 when unknown. */
static long const_value(const struct gofile *f, nid e, int depth);

static long int_lit(const struct gofile *f, nid e)
{
    struct str t = ast_text(f, e);
    long v = 0;
    for (size_t i = 0; i < t.n; i++) {
        if (t.p[i] == '_') continue;
        if (t.p[i] < '0' || t.p[i] > '9' || v > 100000000) return -1;
        v = v * 10 + (t.p[i] - '0');
    }
    return t.n ? v : -1;
}

static long const_in_file(const struct gofile *f, struct str name, int depth)
{
    for (nid n = 1; n < f->nnodes; n++) {
        if (ast_kind(f, n) != N_CONST_SPEC) continue;
        nid vals = ast_child(f, n, F_VALUE);
        unsigned i = 0;
        AST_FOR_CHILDREN(f, n, c) {
            if (f->nodes[c].field != F_NAME) continue;
            if (str_eqs(ast_text(f, c), name)) {
                nid v = vals ? ast_nth_child(f, vals, i) : 0;
                return v ? const_value(f, v, depth + 1) : -1;
            }
            i++;
        }
    }
    return -2; /* not declared here */
}

static long const_value(const struct gofile *f, nid e, int depth)
{
    e = ast_unparen(f, e);
    if (ast_kind(f, e) == N_INT_LITERAL) return int_lit(f, e);
    if (ast_kind(f, e) != N_IDENTIFIER || depth > 4) return -1;
    struct str name = ast_text(f, e);
    long v = const_in_file(f, name, depth);
    if (v != -2) return v;
    /* the other files of the package */
    const char *slash = strrchr(f->path, '/');
    char *dir = slash ? xstrndup(f->path, (size_t)(slash - f->path)) : xstrdup(".");
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && v == -2 && (de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".go") != 0) continue;
        char *path = xasprintf("%s/%s", dir, de->d_name);
        const struct gofile *g = strcmp(path, f->path) ? parse_path(path) : NULL;
        if (g) v = const_in_file(g, name, depth);
        free(path);
    }
    if (d) closedir(d);
    free(dir);
    return v < 0 ? -1 : v;
}

/* The constant trip count of the loop around the go statement at line:
 * `for i := 0; i < N; i++` or `for range N`; -1 when there is none. */
static long pool_size(const struct gofile *f, int line)
{
    nid g = node_at_line(f, line, N_GO_STATEMENT);
    /* `go w(make(chan T))`: each goroutine gets channels of its own that
     * nobody else holds, no shared queue of work */
    for (nid n = g; g && n < f->nodes[g].end; n++)
        if (ast_kind(f, n) == N_CALL_EXPRESSION && ast_text_is(f, ast_child(f, n, F_FUNCTION), "make")) return -1;
    for (nid a = ast_parent(f, g); g && a; a = ast_parent(f, a)) {
        enum node_kind k = ast_kind(f, a);
        if (k == N_FUNC_LITERAL || k == N_FUNCTION_DECLARATION || k == N_METHOD_DECLARATION) break;
        if (k != N_FOR_STATEMENT) continue;
        nid clause = 0;
        AST_FOR_CHILDREN(f, a, c)
            if (ast_kind(f, c) == N_FOR_CLAUSE || ast_kind(f, c) == N_RANGE_CLAUSE) clause = c;
        if (ast_kind(f, clause) == N_FOR_CLAUSE) {
            nid cond = ast_child(f, clause, F_CONDITION);
            if (ast_kind(f, cond) != N_BINARY_EXPRESSION || f->nodes[cond].op != OP_LSS) return -1;
            return const_value(f, ast_child(f, cond, F_RIGHT), 0);
        }
        if (ast_kind(f, clause) == N_RANGE_CLAUSE) return const_value(f, ast_child(f, clause, F_RIGHT), 0);
        return -1; /* a loop we cannot count */
    }
    return -1;
}

const char *prof_healthy_shape(const struct profile *p, const struct profile_site *s, size_t cand,
                               const struct profile_opts *o)
{
    static char why[512];
    if (!o->source_dir) return NULL;
    const struct profile_frame *site = s->frame != PROFILE_NONE ? &p->frames.items[s->frame] : NULL;
    const struct profile_frame *loc = site && (site->flags & PF_USER) ? site
                                      : s->user_frame != PROFILE_NONE ? &p->frames.items[s->user_frame]
                                                                      : NULL;
    if (!loc) return NULL;
    const char *state = s->main_state != PROFILE_NONE ? p->states.items[s->main_state] : "";
    /* a pool's workers idle waiting for work: a receive, a select, a Cond */
    bool waits_for_work = !strcmp(state, "chan receive") || !strcmp(state, "select") ||
                          !strcmp(state, "sync.Cond.Wait");
    const char *mapped = NULL;
    bool range_recv = false, local = false;
    if (prof_source_line(o->source_dir, loc->file, loc->line, &mapped) && mapped) {
        const struct gofile *f = parse_path(mapped);
        nid n;
        if (f && (n = node_at_line(f, loc->line, N_FOR_STATEMENT))) {
            AST_FOR_CHILDREN(f, n, c) {
                if (ast_kind(f, c) != N_RANGE_CLAUSE) continue;
                if (timer_chan(f, ast_child(f, c, F_RIGHT))) return "a timer's channel wakes it";
                range_recv = true;
            }
            local = recv_from_local(f, n);
        } else if (f && (n = node_at_line(f, loc->line, N_SELECT_STATEMENT))) {
            AST_FOR_CHILDREN(f, n, c)
                if (ast_kind(f, c) == N_COMMUNICATION_CASE && timer_recv_in(f, ast_child(f, c, F_COMMUNICATION)))
                    return "one of its select's cases is a timer's channel";
            local = recv_from_local(f, n);
        } else if (f) {
            for (nid u = 1; u < f->nnodes; u++)
                if ((int)f->nodes[u].line == loc->line && ast_kind(f, u) == N_UNARY_EXPRESSION &&
                    f->nodes[u].op == OP_ARROW) {
                    if (timer_chan(f, ast_child(f, u, F_OPERAND))) return "it receives from a timer's channel";
                    if (local_chan(f, ast_child(f, u, F_OPERAND), u)) local = true;
                }
        }
    }
    if (!waits_for_work || local || s->creator == PROFILE_NONE || !s->one_creator) return NULL;
    const struct profile_frame *cr = &p->frames.items[s->creator];
    const char *cmapped = NULL;
    if (prof_source_line(o->source_dir, cr->file, cr->line, &cmapped) && cmapped) {
        const struct gofile *cf = parse_path(cmapped);
        long n = cf ? pool_size(cf, cr->line) : -1;
        if (n > 0 && (size_t)n == cand) {
            snprintf(why, sizeof(why), "%ld is the size of the pool the loop at %s:%d starts", n,
                     prof_short_file(cmapped), cr->line);
            return why;
        }
    }
    if (range_recv && !strcmp(state, "chan receive") && cand <= POOL_IDLE_MAX)
        return "idle range receivers of a pool started at one place";
    return NULL;
}
