/* syntax/lower_ts: the tree-sitter front end, kept as the differential test
 * oracle for our own parser (`make parser-diff`): parses with tree-sitter-go
 * and lowers the concrete tree into godark's pre-order node array,
 * iteratively. Not part of the default build. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "parse.h"
#include "source.h"
#include "tree_sitter/api.h"

const TSLanguage *tree_sitter_go(void);

struct syntax_ts_parser {
    TSParser *ts;
};

/* What a tree-sitter symbol becomes in our tree. */
enum sym_role { SR_NODE, SR_COMMENT, SR_SKIP, SR_TOKEN };
struct sym_info {
    uint8_t role;
    uint8_t kind; /* SR_NODE */
    uint8_t op;   /* SR_TOKEN: the operator, if any */
    uint8_t is_chan_kw;
};

static struct sym_info *sym_map;
static uint32_t sym_count;
static uint8_t *field_map;
static uint32_t field_count;
static pthread_once_t map_once = PTHREAD_ONCE_INIT;

static void build_maps(void)
{
    const TSLanguage *lang = tree_sitter_go();
    static const char *const kinds[] = {
        "",
#define KIND(e, s) s,
#include "kinds.def"
#undef KIND
    };
    static const char *const fields[] = {
        "",
#define FIELD(e, s) s,
#include "fields.def"
#undef FIELD
    };
    static const char *const ops[] = {
        "",
#define OP(e, s) s,
#include "ops.def"
#undef OP
    };
    sym_count = ts_language_symbol_count(lang);
    sym_map = xcalloc(sym_count, sizeof(*sym_map));
    for (uint32_t s = 0; s < sym_count; s++) {
        const char *name = ts_language_symbol_name(lang, (TSSymbol)s);
        TSSymbolType t = ts_language_symbol_type(lang, (TSSymbol)s);
        struct sym_info *si = &sym_map[s];
        si->role = SR_TOKEN;
        if (!name) continue;
        if (t == TSSymbolTypeRegular) {
            if (!strcmp(name, "comment")) si->role = SR_COMMENT;
            else if (!strcmp(name, "escape_sequence") || !strcmp(name, "interpreted_string_literal_content") ||
                     !strcmp(name, "raw_string_literal_content"))
                si->role = SR_SKIP;
            else {
                si->role = SR_NODE;
                si->kind = N_ERROR; /* a kind we do not know stays visible as an error-like node */
                for (unsigned k = 1; k < GD_ARRAY_LEN(kinds); k++)
                    if (!strcmp(kinds[k], name)) si->kind = (uint8_t)k;
            }
        } else {
            for (unsigned o = 1; o < GD_ARRAY_LEN(ops); o++)
                if (!strcmp(ops[o], name)) si->op = (uint8_t)o;
            si->is_chan_kw = !strcmp(name, "chan");
        }
    }
    field_count = ts_language_field_count(lang) + 1;
    field_map = xcalloc(field_count, 1);
    for (uint32_t i = 1; i < field_count; i++) {
        const char *name = ts_language_field_name_for_id(lang, (TSFieldId)i);
        for (unsigned k = 1; name && k < GD_ARRAY_LEN(fields); k++)
            if (!strcmp(fields[k], name)) field_map[i] = (uint8_t)k;
    }
}

struct syntax_ts_parser *syntax_ts_parser_new(void)
{
    pthread_once(&map_once, build_maps);
    struct syntax_ts_parser *p = xcalloc(1, sizeof(*p));
    p->ts = ts_parser_new();
    if (!p->ts || !ts_parser_set_language(p->ts, tree_sitter_go())) {
        fprintf(stderr, "godark: internal error: tree-sitter-go grammar is incompatible with the runtime\n");
        abort();
    }
    return p;
}

void syntax_ts_parser_free(struct syntax_ts_parser *p)
{
    if (!p) return;
    ts_parser_delete(p->ts);
    free(p);
}

/* ---- Go 1.26 calls that tree-sitter-go 0.25.0 cannot parse ----
 * Its grammar makes `new` and `make` keywords whose first argument must be a
 * type, so Go 1.26's new(expr) (`new(uint64(3))`, `new(cfg.Bool("x"))`) and
 * a called local variable named make or new are syntax errors to it. When a
 * file has an error inside such a call, the call's name is respelled with one
 * capital letter (`nEw`, same length) in a private copy, which tree-sitter
 * reads as a plain call; the tree is lowered against the original bytes, so
 * our tree is what a Go 1.26 parser gives: a call of the identifier `new`
 * with an expression argument. Bounded retries; if the file still has an
 * error, the first parse is kept and reported. Goes away with our own
 * parser. */

struct builtin_call {
    uint32_t name, open, close; /* byte offsets of the name, its '(' and matching ')' */
    bool used;
};
typedef VEC(struct builtin_call) builtin_call_vec;

/* Offset just past the string, rune or comment starting at i (s[i] is its
 * first byte), or i when none starts there. */
static size_t skip_literal(const char *s, size_t n, size_t i)
{
    char c = s[i];
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
        while (i < n && s[i] != '\n') i++;
        return i;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '*') {
        const char *e = i + 2 < n ? memmem(s + i + 2, n - i - 2, "*/", 2) : NULL;
        return e ? (size_t)(e - s) + 2 : n;
    }
    if (c == '`') {
        const char *e = i + 1 < n ? memchr(s + i + 1, '`', n - i - 1) : NULL;
        return e ? (size_t)(e - s) + 1 : n;
    }
    if (c == '"' || c == '\'') {
        for (i++; i < n && s[i] != c && s[i] != '\n'; i++)
            if (s[i] == '\\') i++;
        return i < n ? i + 1 : n;
    }
    return i;
}

static bool ident_byte(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Every `new(` and `make(` (not after a dot) with its matching parenthesis. */
static void find_builtin_calls(const char *s, size_t n, builtin_call_vec *out)
{
    VEC(uint32_t) open = {0}; /* '(' offsets; index into out+1 when the '(' is a candidate's, else 0 */
    VEC(uint32_t) owner = {0};
    char prev = 0; /* last significant byte */
    for (size_t i = 0; i < n;) {
        size_t j = skip_literal(s, n, i);
        if (j != i) {
            i = j;
            continue;
        }
        char c = s[i];
        if (ident_byte(c) && !(c >= '0' && c <= '9')) {
            size_t k = i;
            while (k < n && ident_byte(s[k])) k++;
            size_t w = k - i, q = k;
            while (q < n && (s[q] == ' ' || s[q] == '\t')) q++;
            if (prev != '.' && q < n && s[q] == '(' && ((w == 3 && !memcmp(s + i, "new", 3)) || (w == 4 && !memcmp(s + i, "make", 4)))) {
                struct builtin_call bc = {(uint32_t)i, (uint32_t)q, 0, false};
                vec_push(out, bc);
                vec_push(&open, (uint32_t)q);
                vec_push(&owner, (uint32_t)out->len);
                prev = '(';
                i = q + 1;
                continue;
            }
            prev = s[k - 1];
            i = k;
            continue;
        }
        if (c == '(') {
            vec_push(&open, (uint32_t)i);
            vec_push(&owner, 0);
        } else if (c == ')' && open.len) {
            open.len--;
            uint32_t o = owner.items[--owner.len];
            if (o) out->items[o - 1].close = (uint32_t)i;
        }
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') prev = c;
        i++;
    }
    vec_free(&open);
    vec_free(&owner);
}

/* The byte range of the first ERROR or MISSING node in pre-order. */
static void first_error_range(TSNode n, uint32_t *start, uint32_t *end)
{
    for (;;) {
        uint32_t k = ts_node_child_count(n);
        bool down = false;
        for (uint32_t i = 0; i < k; i++) {
            TSNode c = ts_node_child(n, i);
            if (ts_node_is_error(c) || ts_node_is_missing(c)) {
                *start = ts_node_start_byte(c), *end = ts_node_end_byte(c);
                return;
            }
            if (ts_node_has_error(c)) {
                n = c;
                down = true;
                break;
            }
        }
        if (!down) {
            *start = ts_node_start_byte(n), *end = ts_node_end_byte(n);
            return;
        }
    }
}

/* Whether the text of a call's argument list can only be an expression:
 * a type is a keyword type, a pointer/slice/array, or a (qualified,
 * instantiated) name; an argument list that is anything else (a literal, a
 * conversion or call, an operator) makes the call Go 1.26's new(expr) or a
 * call of a variable. */
static bool args_are_expression(const char *s, uint32_t open, uint32_t close)
{
    uint32_t i = open + 1, e = close;
    while (i < e && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) i++;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n')) e--;
    if (i >= e) return false;
    static const char *const type_starts[] = {"[", "*", "map[", "chan", "<-", "func", "struct", "interface", "("};
    for (unsigned k = 0; k < GD_ARRAY_LEN(type_starts); k++)
        if (!strncmp(s + i, type_starts[k], strlen(type_starts[k]))) return false;
    if (!ident_byte(s[i]) || (s[i] >= '0' && s[i] <= '9')) return true;
    /* a name or a qualified name (one dot: x.y.z is a field), then an
     * optional [type arguments], to the end or a comma */
    int dots = 0;
    for (; i < e && (ident_byte(s[i]) || s[i] == '.'); i++) dots += s[i] == '.';
    if (dots > 1) return true;
    if (i < e && s[i] == '[') return false;
    return i < e && s[i] != ',';
}

/* A tree without the errors that new(expr) and called make/new variables
 * cause (or with its first error later), or NULL when respelling them does
 * not give one. */
static TSTree *reparse_builtin_calls(TSParser *ts, const char *src, size_t plen, TSTree *tree)
{
    builtin_call_vec calls = {0};
    find_builtin_calls(src, plen, &calls);
    if (!calls.len) return NULL;
    char *alt = xmalloc(plen + 1);
    memcpy(alt, src, plen + 1);
    TSTree *cur = tree;
    /* first every call whose argument can only be an expression, in one parse */
    bool any = false;
    for (size_t i = 0; i < calls.len; i++) {
        struct builtin_call *c = &calls.items[i];
        if (c->close && args_are_expression(src, c->open, c->close)) {
            c->used = any = true;
            alt[c->name + 1] = (char)(alt[c->name + 1] - 'a' + 'A');
        }
    }
    if (any) {
        TSTree *next = ts_parser_parse_string(ts, NULL, alt, (uint32_t)plen);
        if (next) cur = next;
    }
    /* then, one at a time, the call around the first error that remains (a
     * few more parses on a large file, whose parse costs seconds) */
    int max_tries = plen < ((size_t)1 << 20) ? 16 : 1;
    for (int tries = 0; tries < max_tries && ts_node_has_error(ts_tree_root_node(cur)); tries++) {
        uint32_t es, ee;
        first_error_range(ts_tree_root_node(cur), &es, &ee);
        /* the innermost call around the error's start, else the first call inside the error */
        struct builtin_call *pick = NULL, *inside = NULL;
        for (size_t i = 0; i < calls.len; i++) {
            struct builtin_call *c = &calls.items[i];
            if (c->used) continue;
            if (c->name <= es && (c->close == 0 || es <= c->close) && (!pick || c->name > pick->name)) pick = c;
            if (c->name > es && c->name <= ee && !inside) inside = c;
        }
        if (!pick) pick = inside;
        if (!pick) break;
        pick->used = true;
        alt[pick->name + 1] = (char)(alt[pick->name + 1] - 'a' + 'A');
        TSTree *next = ts_parser_parse_string(ts, NULL, alt, (uint32_t)plen);
        if (!next) break;
        if (cur != tree) ts_tree_delete(cur);
        cur = next;
    }
    free(alt);
    vec_free(&calls);
    /* keep the respelled tree when it parses, or when its first error comes
     * later than the first parse's (a real syntax error after a new(expr)) */
    if (cur != tree) {
        uint32_t s0, e0, s1, e1;
        first_error_range(ts_tree_root_node(tree), &s0, &e0);
        first_error_range(ts_tree_root_node(cur), &s1, &e1);
        if (!ts_node_has_error(ts_tree_root_node(cur)) || s1 > s0) return cur;
    }
    if (cur != tree) ts_tree_delete(cur);
    return NULL;
}

struct frame {
    nid node, last_child;
};

void syntax_ts_parse(struct syntax_ts_parser *p, const char *path, char *src, size_t len, struct gofile *f)
{
    /* tree-sitter-go 0.25.0 reports a false error at EOF without a final
     * newline: source_init appends one, and we parse it. */
    bool add_nl = len == 0 || src[len - 1] != '\n';
    if (!source_init(f, path, src, len)) return;
    src = f->src;
    size_t plen = len + add_nl;
    /* A leading byte order mark is allowed by Go; tree-sitter does not know it. */
    char bom[3] = {0};
    bool has_bom = len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3);
    if (has_bom) memcpy(bom, src, 3), memset(src, ' ', 3);

    TSTree *tree = ts_parser_parse_string(p->ts, NULL, src, (uint32_t)plen);
    if (has_bom) memcpy(src, bom, 3);
    if (!tree) {
        source_error(f, 0, xstrdup("the parser gave up on this file"));
        return;
    }
    if (ts_node_has_error(ts_tree_root_node(tree))) {
        TSTree *better = reparse_builtin_calls(p->ts, src, plen, tree);
        if (better) ts_tree_delete(tree), tree = better;
    }
    TSNode root = ts_tree_root_node(tree);
    bool tree_has_error = ts_node_has_error(root);

    VEC(struct node) nodes = {0};
    VEC(struct comment) comments = {0};
    VEC(struct frame) stack = {0};
    struct node zero = {0};
    vec_push(&nodes, zero);

    TSTreeCursor cur = ts_tree_cursor_new(root);
    bool first_error_seen = false;
    for (;;) {
        TSNode n = ts_tree_cursor_current_node(&cur);
        TSSymbol sym = ts_node_symbol(n);
        bool is_err = ts_node_is_error(n);
        bool descend = false;
        nid parent = stack.len ? stack.items[stack.len - 1].node : 0;
        if (tree_has_error && !first_error_seen && (is_err || ts_node_is_missing(n))) {
            first_error_seen = true;
            uint32_t b = ts_node_start_byte(n);
            char *msg;
            if (is_err) {
                uint32_t e = ts_node_end_byte(n), w = e - b;
                const char *s = src + b;
                /* name the first token of the unexpected text */
                uint32_t k = 0;
                while (k < w && k < 24 && s[k] != '\n' && s[k] != ' ' && s[k] != '\t') k++;
                msg = k ? xasprintf("cannot parse: unexpected %.*s", (int)k, s) : xstrdup("cannot parse");
            } else {
                msg = xasprintf("cannot parse: missing %s", ts_node_type(n));
            }
            source_error(f, b, msg);
        }
        if (ts_node_is_missing(n)) {
            /* zero-width stand-in: leave it out of our tree */
        } else if (is_err || (sym < sym_count && sym_map[sym].role == SR_NODE)) {
            struct node x = {0};
            x.kind = is_err ? N_ERROR : sym_map[sym].kind;
            TSFieldId fid = ts_tree_cursor_current_field_id(&cur);
            x.field = fid < field_count ? field_map[fid] : 0;
            x.parent = parent;
            x.start_byte = ts_node_start_byte(n);
            x.end_byte = ts_node_end_byte(n);
            if (x.end_byte > len) x.end_byte = (uint32_t)len; /* the appended newline */
            if (x.start_byte > x.end_byte) x.start_byte = x.end_byte;
            TSPoint pt = ts_node_start_point(n);
            x.line = pt.row + 1;
            x.col = pt.column + 1;
            if (ts_node_has_error(n)) x.flags |= NF_HAS_ERROR;
            nid id = (nid)nodes.len;
            x.end = id + 1;
            vec_push(&nodes, x);
            if (stack.len) {
                struct frame *fr = &stack.items[stack.len - 1];
                if (fr->last_child) nodes.items[fr->last_child].next = id;
                fr->last_child = id;
            }
            if (ts_tree_cursor_goto_first_child(&cur)) {
                struct frame fr = {id, 0};
                vec_push(&stack, fr);
                descend = true;
            }
        } else if (sym < sym_count && sym_map[sym].role == SR_COMMENT) {
            struct comment c;
            c.start_byte = ts_node_start_byte(n);
            c.end_byte = ts_node_end_byte(n);
            if (c.end_byte > len) c.end_byte = (uint32_t)len;
            TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
            c.line = a.row + 1;
            c.col = a.column + 1;
            c.end_line = b.row + 1;
            vec_push(&comments, c);
        } else if (sym < sym_count && sym_map[sym].role == SR_TOKEN && parent) {
            struct node *pn = &nodes.items[parent];
            const struct sym_info *si = &sym_map[sym];
            if (pn->kind == N_CHANNEL_TYPE) {
                if (si->op == OP_ARROW) pn->flags |= (pn->op == 0 && !(pn->flags & 0x80)) ? NF_CHAN_RECV : NF_CHAN_SEND;
                if (si->is_chan_kw) pn->flags |= 0x80; /* "chan" seen */
            } else if (si->op && (pn->op == 0 || ts_tree_cursor_current_field_id(&cur))) {
                pn->op = si->op;
            }
        }
        if (descend) continue;
        /* advance: next sibling, or climb until one exists */
        while (!ts_tree_cursor_goto_next_sibling(&cur)) {
            if (!stack.len || !ts_tree_cursor_goto_parent(&cur)) goto done;
            struct frame fr = stack.items[--stack.len];
            nodes.items[fr.node].end = (nid)nodes.len;
            nodes.items[fr.node].flags &= 0x7F;
        }
    }
done:
    while (stack.len) {
        struct frame fr = stack.items[--stack.len];
        nodes.items[fr.node].end = (nid)nodes.len;
        nodes.items[fr.node].flags &= 0x7F;
    }
    ts_tree_cursor_delete(&cur);
    ts_tree_delete(tree);
    if (tree_has_error && !first_error_seen) source_error(f, 0, xstrdup("cannot parse"));
    free(f->nodes);
    f->nodes = nodes.items;
    f->nnodes = (uint32_t)nodes.len;
    f->comments = comments.items;
    f->ncomments = (uint32_t)comments.len;
    vec_free(&stack);

    source_finish(f);
}
