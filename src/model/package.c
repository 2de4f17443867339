/* model/package: package tables: imports per file, package-level
 * declarations, the language version from go.mod / vendor.mod / go.work
 * and per file from `//go:build go1.N`. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "summary.h"

int pkg_file_index(const struct pkg *p, const struct gofile *f)
{
    for (int i = 0; i < p->nfiles; i++)
        if (&p->files[i] == f) return i;
    return -1;
}

static uint32_t node_hash(int fi, nid n) { return hash_fold32(((uint64_t)(uint32_t)fi << 32 | n) * 0x9E3779B97F4A7C15ull); }

int pkg_decl_index(const struct pkg *p, int fi, nid fn)
{
    if (!p->node_head) return -1;
    for (int d = p->node_head[node_hash(fi, fn) & p->decl_mask]; d >= 0; d = p->node_next[d])
        if (p->decls[d].node == fn && p->decls[d].file == fi) return d;
    return -1;
}

bool pkg_is_exported_api(const struct pkg *p, int fi, nid decl)
{
    const struct gofile *f = &p->files[fi];
    nid name = decl ? ast_child(f, decl, F_NAME) : 0;
    if (!name || !model_is_exported(ast_text(f, name))) return false;
    int d = pkg_decl_index(p, fi, decl);
    const char *recv = d >= 0 ? p->decls[d].recv_type : NULL;
    return !recv || model_is_exported(str_make(recv, strlen(recv)));
}

bool pkg_is_test_file(const struct gofile *f)
{
    return str_has_suffix(str_make(f->path, strlen(f->path)), "_test.go");
}

bool model_decimal_literal(struct str s, size_t max_len, long *out)
{
    long v = 0;
    if (!s.n || s.n > max_len || (s.n > 1 && s.p[0] == '0')) return false;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '_') continue;
        if (s.p[i] < '0' || s.p[i] > '9') return false;
        v = v * 10 + (s.p[i] - '0');
    }
    *out = v;
    return true;
}

static const char *import_default_name(struct arena *a, struct str path)
{
    /* last element; "math/rand/v2" -> rand; "gopkg.in/yaml.v3" -> yaml */
    size_t end = path.n, start;
    for (int tries = 0; tries < 2; tries++) {
        start = end;
        while (start > 0 && path.p[start - 1] != '/') start--;
        struct str el = str_make(path.p + start, end - start);
        bool major = el.n >= 2 && el.p[0] == 'v';
        for (size_t i = 1; major && i < el.n; i++) major = el.p[i] >= '0' && el.p[i] <= '9';
        if (major && start > 0 && tries == 0) {
            end = start - 1;
            continue;
        }
        break;
    }
    struct str el = str_make(path.p + start, end - start);
    for (size_t i = 0; i + 2 < el.n; i++)
        if (el.p[i] == '.' && el.p[i + 1] == 'v' && el.p[i + 2] >= '0' && el.p[i + 2] <= '9') {
            el.n = i;
            break;
        }
    return arena_strndup(a, el.p, el.n);
}

static struct str unquote(struct str s)
{
    if (s.n >= 2 && (s.p[0] == '"' || s.p[0] == '`')) return str_make(s.p + 1, s.n - 2);
    return s;
}

static void collect_imports(struct pkg *p, int fi)
{
    const struct gofile *f = &p->files[fi];
    struct file_info *info = &p->finfo[fi];
    VEC(struct file_import) v = {0};
    if (f->nnodes < 2) return;
    AST_FOR_CHILDREN(f, 1, d)
    {
        if (ast_kind(f, d) != N_IMPORT_DECLARATION) continue;
        /* import_spec directly, or inside import_spec_list */
        for (nid s = d + 1; s < f->nodes[d].end; s++) {
            if (ast_kind(f, s) != N_IMPORT_SPEC) continue;
            nid path = ast_child(f, s, F_PATH), name = ast_child(f, s, F_NAME);
            if (!path) continue;
            struct str ps = unquote(ast_text(f, path));
            struct file_import im;
            im.path = arena_strndup(&p->arena, ps.p, ps.n);
            im.spec = s;
            if (name) {
                struct str ns = ast_text(f, name);
                im.name = arena_strndup(&p->arena, ns.p, ns.n);
            } else {
                im.name = import_default_name(&p->arena, ps);
            }
            vec_push(&v, im);
        }
    }
    info->imports = arena_alloc(&p->arena, sizeof(struct file_import) * (v.len + 1));
    if (v.len) memcpy(info->imports, v.items, sizeof(struct file_import) * v.len);
    info->nimports = (int)v.len;
    vec_free(&v);
}

/* The receiver's base type name: (s *T), (T), (t *T[K]) -> T */
static struct str receiver_base(const struct gofile *f, nid params)
{
    for (nid n = params + 1; params && n < f->nodes[params].end; n++)
        if (ast_kind(f, n) == N_TYPE_IDENTIFIER) return ast_text(f, n);
    return str_make("", 0);
}

struct declvec {
    struct pkg_decl *items;
    size_t len, cap;
};

static void add_decl(struct pkg *p, struct declvec *v, int fi, nid node, nid name_node, int what,
                     const char *recv)
{
    struct pkg_decl d;
    struct str s = ast_text(&p->files[fi], name_node);
    d.name = arena_strndup(&p->arena, s.p, s.n);
    d.what = what;
    d.file = fi;
    d.node = node;
    d.name_node = name_node;
    d.recv_type = recv;
    vec_push(v, d);
}

static void collect_decls(struct pkg *p, int fi, struct declvec *v)
{
    const struct gofile *f = &p->files[fi];
    if (f->nnodes < 2) return;
    AST_FOR_CHILDREN(f, 1, d)
    {
        switch (ast_kind(f, d)) {
        case N_FUNCTION_DECLARATION: {
            nid name = ast_child(f, d, F_NAME);
            if (name) add_decl(p, v, fi, d, name, PD_FUNC, NULL);
            break;
        }
        case N_METHOD_DECLARATION: {
            nid name = ast_child(f, d, F_NAME);
            struct str rb = receiver_base(f, ast_child(f, d, F_RECEIVER));
            if (name) add_decl(p, v, fi, d, name, PD_METHOD, arena_strndup(&p->arena, rb.p, rb.n));
            break;
        }
        case N_TYPE_DECLARATION:
        case N_VAR_DECLARATION:
        case N_CONST_DECLARATION:
            for (nid s = d + 1; s < f->nodes[d].end; s++) {
                enum node_kind k = ast_kind(f, s);
                int what = k == N_TYPE_SPEC || k == N_TYPE_ALIAS ? PD_TYPE
                           : k == N_VAR_SPEC                    ? PD_VAR
                           : k == N_CONST_SPEC                  ? PD_CONST
                                                                : -1;
                if (what < 0 || ast_parent(f, s) != d) {
                    /* var_spec_list wraps specs in var ( ... ) */
                    if (!(what >= 0 && ast_kind(f, ast_parent(f, s)) == N_VAR_SPEC_LIST)) continue;
                }
                AST_FOR_CHILDREN(f, s, c)
                if (f->nodes[c].field == F_NAME) add_decl(p, v, fi, s, c, what, NULL);
            }
            break;
        default:
            break;
        }
    }
}

/* The `go 1.N` directive of a go.mod-like file (go.mod, vendor.mod,
 * go.work): true with *maj, *min set when the file exists and has one. */
static bool read_go_directive(const char *path, int *maj, int *min, bool *exists)
{
    char *src;
    size_t len;
    const char *err;
    *exists = read_file_all(path, &src, &len, &err);
    if (!*exists) return false;
    bool found = false;
    for (const char *s = src; s && *s && !found;) {
        while (*s == ' ' || *s == '\t') s++;
        if (!strncmp(s, "go ", 3) && sscanf(s + 3, " %d.%d", maj, min) == 2) found = true;
        s = strchr(s, '\n');
        if (s) s++;
    }
    free(src);
    return found;
}

/* The nearest go.mod or vendor.mod (docker has no go.mod: its vendor.mod
 * holds the go directive) above the package decides; a go.work above with
 * no module file in between decides otherwise. */
void model_dir_go_version(const char *dir, int *major, int *minor, const char **file)
{
    *major = 1;
    *minor = -1;
    *file = NULL;
    char buf[PATH_MAX];
    if (!realpath(dir, buf)) return;
    int wmaj = 1, wmin = -1;
    for (int depth = 0; depth < 64; depth++) {
        static const char *const names[] = {"go.mod", "vendor.mod", "go.work"};
        for (int i = 0; i < 3; i++) {
            char *path = xasprintf("%s/%s", strcmp(buf, "/") ? buf : "", names[i]);
            int maj, min;
            bool exists;
            bool ok = read_go_directive(path, &maj, &min, &exists);
            free(path);
            if (i == 2) {
                if (ok && wmin < 0) wmaj = maj, wmin = min;
                continue;
            }
            if (!exists) continue;
            if (ok) {
                *major = maj;
                *minor = min;
            } else {
                /* a module file without a go directive means go 1.16 */
                *major = 1;
                *minor = 16;
            }
            *file = names[i];
            return;
        }
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf) {
            if (!strcmp(buf, "/")) break;
            strcpy(buf, "/");
            continue;
        }
        *slash = 0;
    }
    if (wmin >= 0) {
        *major = wmaj;
        *minor = wmin;
        *file = "go.work";
    }
}

/* The go1.N a file's `//go:build` line requires: the largest go1.N term of
 * a line without `||` (a plain conjunction), not negated; -1 otherwise. */
static int build_line_go_minor(const struct gofile *f)
{
    const char *s = f->src, *end = f->src + f->len;
    while (s && s < end) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        if (!eol) eol = end;
        const char *t = s;
        while (t < eol && (*t == ' ' || *t == '\t' || *t == '\r')) t++;
        if ((size_t)(eol - t) >= 7 && !strncmp(t, "package", 7)) break; /* constraints come before the clause */
        if ((size_t)(eol - t) > 10 && !strncmp(t, "//go:build", 10) && (t[10] == ' ' || t[10] == '\t')) {
            int best = -1;
            bool disj = false;
            for (const char *q = t + 10; q + 1 < eol; q++)
                if (q[0] == '|' && q[1] == '|') disj = true;
            for (const char *q = t + 10; !disj && q + 4 < eol; q++) {
                if (strncmp(q, "go1.", 4) || (q[-1] != ' ' && q[-1] != '(' && q[-1] != '&' && q[-1] != '\t'))
                    continue;
                int n = 0, digits = 0;
                const char *r = q + 4;
                for (; r < eol && *r >= '0' && *r <= '9'; r++, digits++) n = n * 10 + (*r - '0');
                if (!digits || (r < eol && *r != ' ' && *r != ')' && *r != '&' && *r != '\r' && *r != '\t'))
                    continue;
                if (n > best) best = n;
            }
            return best;
        }
        s = eol + 1;
    }
    return -1;
}

void model_go_version(const struct pkg *p, int fi, int *major, int *minor, const char **from)
{
    int fm = fi >= 0 && fi < p->nfiles ? p->finfo[fi].go_minor : -1;
    if (fm >= 0) {
        *major = 1;
        *minor = fm;
        if (from) *from = "//go:build";
        return;
    }
    *major = p->go_major;
    *minor = p->go_minor;
    if (from) *from = p->go_file;
}

/* Hash of a declaration's name; methods hash their receiver type too, so
 * the package's many methods called String or Lock do not share a chain
 * with each other's types. */
static uint32_t decl_hash(const char *recv_type, struct str name)
{
    uint64_t h = hash_bytes(name.p, name.n);
    if (recv_type) h = h * 31 + hash_bytes(recv_type, strlen(recv_type)) + 1;
    return hash_fold32(h);
}

/* Builds p->decl_head/decl_next so that lookups by name cost one chain,
 * not a scan of every declaration (the 440,000-line packages have tens
 * of thousands, and the rules look names up per identifier). */
static void index_decls(struct pkg *p)
{
    uint32_t size = 16;
    while (size < (uint32_t)p->ndecls * 2u) size <<= 1;
    p->decl_mask = size - 1;
    p->decl_head = arena_alloc(&p->arena, sizeof(int) * size);
    p->decl_next = arena_alloc(&p->arena, sizeof(int) * ((size_t)p->ndecls + 1));
    for (uint32_t i = 0; i < size; i++) p->decl_head[i] = -1;
    /* pushed last first: each chain lists its declarations in order */
    for (int i = p->ndecls - 1; i >= 0; i--) {
        const struct pkg_decl *d = &p->decls[i];
        struct str nm = str_make(d->name, strlen(d->name));
        uint32_t h = decl_hash(d->what == PD_METHOD ? d->recv_type : NULL, nm) & p->decl_mask;
        p->decl_next[i] = p->decl_head[h];
        p->decl_head[h] = i;
    }
    /* and by (file, node), for pkg_decl_index */
    p->node_head = arena_alloc(&p->arena, sizeof(int) * size);
    p->node_next = arena_alloc(&p->arena, sizeof(int) * ((size_t)p->ndecls + 1));
    for (uint32_t i = 0; i < size; i++) p->node_head[i] = -1;
    for (int i = p->ndecls - 1; i >= 0; i--) {
        uint32_t h = node_hash(p->decls[i].file, p->decls[i].node) & p->decl_mask;
        p->node_next[i] = p->node_head[h];
        p->node_head[h] = i;
    }
}

void pkg_init(struct pkg *p, const char *dir, struct gofile *files, int nfiles)
{
    memset(p, 0, sizeof(*p));
    arena_init(&p->arena);
    p->dir = arena_strndup(&p->arena, dir, strlen(dir));
    p->files = files;
    p->nfiles = nfiles;
    p->finfo = arena_alloc(&p->arena, sizeof(struct file_info) * ((size_t)nfiles + 1));
    struct declvec decls = {0};
    for (int i = 0; i < nfiles; i++) {
        collect_imports(p, i);
        collect_decls(p, i, &decls);
        p->finfo[i].go_minor = build_line_go_minor(&files[i]);
    }
    p->decls = arena_alloc(&p->arena, sizeof(struct pkg_decl) * (decls.len + 1));
    if (decls.len) memcpy(p->decls, decls.items, sizeof(struct pkg_decl) * decls.len);
    p->ndecls = (int)decls.len;
    vec_free(&decls);
    index_decls(p);
    p->name = "";
    for (int i = 0; i < nfiles && !*p->name; i++) {
        const struct gofile *f = &files[i];
        if (f->nnodes < 2) continue;
        AST_FOR_CHILDREN(f, 1, c) if (ast_kind(f, c) == N_PACKAGE_CLAUSE)
        {
            AST_FOR_CHILDREN(f, c, k) if (ast_kind(f, k) == N_PACKAGE_IDENTIFIER)
            {
                struct str s = ast_text(f, k);
                p->name = arena_strndup(&p->arena, s.p, s.n);
            }
        }
    }
    model_dir_go_version(p->dir, &p->go_major, &p->go_minor, &p->go_file);
}

void pkg_free(struct pkg *p)
{
    model_analysis_free(p);
    free(p->tx_keys);
    free(p->tx_vals);
    arena_free(&p->arena);
}

const struct pkg_decl *pkg_lookup(const struct pkg *p, struct str name, int what)
{
    for (int i = p->decl_head[decl_hash(NULL, name) & p->decl_mask]; i >= 0; i = p->decl_next[i]) {
        const struct pkg_decl *d = &p->decls[i];
        if (d->what == PD_METHOD) continue;
        if ((what < 0 || (int)d->what == what) && str_eq(name, d->name)) return d;
    }
    return NULL;
}

int pkg_decl_count(const struct pkg *p, struct str name, int what)
{
    int n = 0;
    for (int i = p->decl_head[decl_hash(NULL, name) & p->decl_mask]; i >= 0; i = p->decl_next[i])
        if (p->decls[i].what != PD_METHOD && (what < 0 || (int)p->decls[i].what == what) && str_eq(name, p->decls[i].name)) n++;
    return n;
}

const struct pkg_decl *pkg_lookup_method(const struct pkg *p, const char *type_name, struct str name)
{
    for (int i = p->decl_head[decl_hash(type_name, name) & p->decl_mask]; i >= 0; i = p->decl_next[i]) {
        const struct pkg_decl *d = &p->decls[i];
        if (d->what == PD_METHOD && !strcmp(d->recv_type, type_name) && str_eq(name, d->name)) return d;
    }
    return NULL;
}

const char *model_import_path(const struct pkg *p, int fi, struct str name)
{
    const struct file_info *info = &p->finfo[fi];
    for (int i = 0; i < info->nimports; i++)
        if (str_eq(name, info->imports[i].name)) return info->imports[i].path;
    return NULL;
}

bool model_has_dot_import(const struct pkg *p, int fi, const char *path)
{
    const struct file_info *info = &p->finfo[fi];
    for (int i = 0; i < info->nimports; i++)
        if (!strcmp(info->imports[i].name, ".") && !strcmp(info->imports[i].path, path)) return true;
    return false;
}

/* Adds the methods of interface type node it (file fi) to out, following
 * embedded interfaces of this package up to `depth` levels. */
static int iface_methods(const struct pkg *p, int fi, nid it, const char **out, int n, int max, bool *complete,
                         int depth)
{
    const struct gofile *f = &p->files[fi];
    AST_FOR_CHILDREN(f, it, c)
    {
        if (ast_kind(f, c) == N_METHOD_ELEM) {
            struct str s = ast_text(f, ast_child(f, c, F_NAME));
            bool dup = false;
            for (int i = 0; i < n && !dup; i++) dup = str_eq(s, out[i]);
            if (dup) continue;
            if (n == max) {
                *complete = false;
                return n;
            }
            out[n++] = arena_strndup((struct arena *)&p->arena, s.p, s.n);
        } else if (ast_kind(f, c) == N_TYPE_ELEM) {
            nid t = ast_first_child(f, c);
            const struct pkg_decl *d = NULL;
            if (ast_kind(f, t) == N_TYPE_IDENTIFIER && depth > 0 && pkg_decl_count(p, ast_text(f, t), PD_TYPE) == 1)
                d = pkg_lookup(p, ast_text(f, t), PD_TYPE);
            nid ty = d ? ast_child(&p->files[d->file], d->node, F_TYPE) : 0;
            if (ty && ast_kind(&p->files[d->file], ty) == N_INTERFACE_TYPE)
                n = iface_methods(p, d->file, ty, out, n, max, complete, depth - 1);
            else
                *complete = false; /* another package's interface, a constraint, or unknown */
        }
    }
    return n;
}

int model_method_names(const struct pkg *p, const char *type_name, const char **out, int max, bool *complete)
{
    *complete = true;
    struct str tn = str_make(type_name, strlen(type_name));
    if (pkg_decl_count(p, tn, PD_TYPE) != 1) {
        *complete = false;
        return 0;
    }
    const struct pkg_decl *d = pkg_lookup(p, tn, PD_TYPE);
    const struct gofile *f = &p->files[d->file];
    nid ty = ast_child(f, d->node, F_TYPE);
    if (ast_kind(f, ty) == N_INTERFACE_TYPE) return iface_methods(p, d->file, ty, out, 0, max, complete, 8);
    int n = 0;
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *m = &p->decls[i];
        if (m->what != PD_METHOD || strcmp(m->recv_type, type_name)) continue;
        if (n == max) {
            *complete = false;
            break;
        }
        out[n++] = m->name;
    }
    /* promoted methods of embedded fields are not listed */
    if (ast_kind(f, ty) == N_STRUCT_TYPE)
        for (nid k = ty; k < f->nodes[ty].end; k++)
            if (ast_kind(f, k) == N_FIELD_DECLARATION && !ast_child(f, k, F_NAME)) *complete = false;
    return n;
}

/* Does the signature of interface type node it (file fi) name a type
 * declared in this package with an unexported name? */
static bool iface_names_private_type(const struct pkg *p, int fi, nid it)
{
    const struct gofile *f = &p->files[fi];
    for (nid k = it + 1; k < f->nodes[it].end; k++) {
        if (ast_kind(f, k) != N_TYPE_IDENTIFIER || ast_kind(f, ast_parent(f, k)) == N_TYPE_ELEM) continue;
        struct str s = ast_text(f, k);
        if (!model_is_exported(s) && pkg_decl_count(p, s, PD_TYPE) > 0) return true;
    }
    return false;
}

bool pkg_interface_closed(const struct pkg *p, const char *iface)
{
    enum { MAX = 32 };
    struct str in = str_make(iface, strlen(iface));
    if (pkg_decl_count(p, in, PD_TYPE) != 1) return false;
    const struct pkg_decl *d = pkg_lookup(p, in, PD_TYPE);
    const struct gofile *f = &p->files[d->file];
    nid it = ast_child(f, d->node, F_TYPE);
    if (ast_kind(f, it) != N_INTERFACE_TYPE) return false;
    const char *names[MAX];
    bool complete;
    int n = model_method_names(p, iface, names, MAX, &complete);
    if (!complete) return false;
    for (int i = 0; i < n; i++)
        if (!model_is_exported(str_make(names[i], strlen(names[i])))) return true;
    if (iface_names_private_type(p, d->file, it)) return true;
    return n >= 2 && !model_is_exported(in);
}

const struct pkg_decl *pkg_sole_implementation(const struct pkg *p, const char *iface, struct str m)
{
    enum { MAX = 32 };
    const char *want[MAX];
    bool complete;
    struct str in = str_make(iface, strlen(iface));
    const struct pkg_decl *d = pkg_decl_count(p, in, PD_TYPE) == 1 ? pkg_lookup(p, in, PD_TYPE) : NULL;
    if (!d || ast_kind(&p->files[d->file], ast_child(&p->files[d->file], d->node, F_TYPE)) != N_INTERFACE_TYPE) return NULL;
    int nw = model_method_names(p, iface, want, MAX, &complete);
    bool has = false;
    for (int i = 0; i < nw; i++) has |= str_eq(m, want[i]);
    if (!complete || !has) return NULL;
    const struct pkg_decl *found = NULL;
    for (int i = 0; i < p->ndecls; i++) {
        const struct pkg_decl *t = &p->decls[i];
        if (t->what != PD_TYPE || t == d) continue;
        const struct gofile *f = &p->files[t->file];
        if (ast_kind(f, ast_child(f, t->node, F_TYPE)) == N_INTERFACE_TYPE) continue;
        bool all = true;
        for (int k = 0; k < nw && all; k++)
            all = pkg_lookup_method(p, t->name, str_make(want[k], strlen(want[k]))) != NULL;
        if (!all) continue;
        if (found) return NULL; /* two implementations */
        found = pkg_lookup_method(p, t->name, m);
    }
    return found;
}
