/* model/package: package tables: imports per file, package-level
 * declarations, the module's go version from go.mod. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"
#include "summary.h"

int pkg_file_index(const struct pkg *p, const struct gofile *f)
{
    for (int i = 0; i < p->nfiles; i++)
        if (&p->files[i] == f) return i;
    return -1;
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

static void read_go_version(struct pkg *p)
{
    p->go_major = 1;
    p->go_minor = -1;
    char buf[PATH_MAX];
    if (!realpath(p->dir, buf)) return;
    for (int depth = 0; depth < 64; depth++) {
        char *gomod = xasprintf("%s/go.mod", strcmp(buf, "/") ? buf : "");
        char *src;
        size_t len;
        const char *err;
        bool ok = read_file_all(gomod, &src, &len, &err);
        free(gomod);
        if (ok) {
            const char *s = src;
            while (s && *s) {
                while (*s == ' ' || *s == '\t') s++;
                int maj, min;
                if (!strncmp(s, "go ", 3) && sscanf(s + 3, " %d.%d", &maj, &min) == 2) {
                    p->go_major = maj;
                    p->go_minor = min;
                    break;
                }
                s = strchr(s, '\n');
                if (s) s++;
            }
            free(src);
            return;
        }
        char *slash = strrchr(buf, '/');
        if (!slash || slash == buf) {
            if (!strcmp(buf, "/")) return;
            strcpy(buf, "/");
            continue;
        }
        *slash = 0;
    }
}

static uint32_t name_hash(const struct pkg *p, struct str name)
{
    return (uint32_t)hash_bytes(name.p, name.n) & p->decl_mask;
}

/* The name index of p->decls: chains keep declaration order (first match
 * first), as the linear scans they replace did. */
static void build_decl_index(struct pkg *p)
{
    uint32_t nb = 16;
    while (nb < (uint32_t)p->ndecls * 2) nb *= 2;
    p->decl_mask = nb - 1;
    p->decl_head = arena_alloc(&p->arena, sizeof(int) * nb);
    p->decl_next = arena_alloc(&p->arena, sizeof(int) * ((size_t)p->ndecls + 1));
    for (uint32_t b = 0; b < nb; b++) p->decl_head[b] = -1;
    for (int i = p->ndecls; i-- > 0;) {
        uint32_t h = name_hash(p, str_make(p->decls[i].name, strlen(p->decls[i].name)));
        p->decl_next[i] = p->decl_head[h];
        p->decl_head[h] = i;
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
    }
    p->decls = arena_alloc(&p->arena, sizeof(struct pkg_decl) * (decls.len + 1));
    if (decls.len) memcpy(p->decls, decls.items, sizeof(struct pkg_decl) * decls.len);
    p->ndecls = (int)decls.len;
    vec_free(&decls);
    build_decl_index(p);
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
    read_go_version(p);
}

void pkg_free(struct pkg *p)
{
    model_analysis_free(p);
    arena_free(&p->arena);
}

const struct pkg_decl *pkg_lookup(const struct pkg *p, struct str name, int what)
{
    if (!p->decl_head) return NULL;
    for (int i = p->decl_head[name_hash(p, name)]; i >= 0; i = p->decl_next[i]) {
        const struct pkg_decl *d = &p->decls[i];
        if (d->what == PD_METHOD) continue;
        if ((what < 0 || (int)d->what == what) && str_eq(name, d->name)) return d;
    }
    return NULL;
}

int pkg_decl_count(const struct pkg *p, struct str name, int what)
{
    int n = 0;
    if (!p->decl_head) return 0;
    for (int i = p->decl_head[name_hash(p, name)]; i >= 0; i = p->decl_next[i])
        if (p->decls[i].what != PD_METHOD && (what < 0 || (int)p->decls[i].what == what) && str_eq(name, p->decls[i].name)) n++;
    return n;
}

const struct pkg_decl *pkg_lookup_method(const struct pkg *p, const char *type_name, struct str name)
{
    if (!p->decl_head) return NULL;
    for (int i = p->decl_head[name_hash(p, name)]; i >= 0; i = p->decl_next[i]) {
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
