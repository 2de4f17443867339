/* config: .godark.yml read with libyaml, the settings flags, and the
 * merge of defaults, file and flags with the origin of every value. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "../report/paths.h"
#include "../rules/rule.h"

const char *const config_confidence_names[] = {"high", "medium", "low", NULL};

void config_init(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->confidence = CONF_MEDIUM;
    c->max_chan_buffer = 65536;
    c->min_count = 3;
    c->min_wait = 10;
    c->min_growth = 3;
    c->go_major = 1;
    c->go_minor = -1;
}

static void strs_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
}

void config_free(struct config *c)
{
    strs_free(c->enable.items, c->enable.len);
    strs_free(c->disable.items, c->disable.len);
    strs_free(c->exclude.items, c->exclude.len);
    strs_free(c->modules.items, c->modules.len);
    free(c->path);
    free(c->dir);
    free(c->exclude_root);
    memset(c, 0, sizeof(*c));
}

char *config_find(const char *start)
{
    char *dir = path_abs(start && *start ? start : ".");
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        /* a file, a DIR/... pattern or a path that does not exist: its directory */
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) *slash = 0;
        else if (slash) dir[1] = 0;
    }
    for (;;) {
        char *p = xasprintf("%s/%s", strcmp(dir, "/") ? dir : "", CONFIG_FILE_NAME);
        if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode)) {
            free(dir);
            return p;
        }
        free(p);
        char *slash = strrchr(dir, '/');
        if (!slash || !strcmp(dir, "/")) break;
        if (slash == dir) dir[1] = 0;
        else *slash = 0;
    }
    free(dir);
    return NULL;
}

bool config_parse_go(const char *s, int *major, int *minor)
{
    if (!strncmp(s, "go", 2)) s += 2;
    int maj, min, n = 0;
    if (sscanf(s, "%d.%d%n", &maj, &min, &n) != 2 || maj != 1 || min < 0 || min > 999) return false;
    s += n;
    if (*s == '.') { /* a patch release: 1.21.3 */
        s++;
        if (*s < '0' || *s > '9') return false;
        while (*s >= '0' && *s <= '9') s++;
    }
    if (*s) return false;
    *major = maj;
    *minor = min;
    return true;
}

/* ---- shared value checks: NULL when fine, else the message (static) ---- */

/* A rule id or name for enable/disable of check's rules; *id its canonical id. */
static const char *check_rule(const char *tok, const char **id, char *buf, size_t n)
{
    const struct rule *r = rule_find(tok);
    if (!r) {
        snprintf(buf, n, "unknown rule %s (see `godark rules`)", tok);
        return buf;
    }
    if (!strncmp(r->id, "GD9", 3)) {
        snprintf(buf, n,
                 "%s %s is a runtime rule: godark goroutines, diff and watch report it from goroutine dumps; "
                 "check analyses source and never runs it",
                 r->id, r->name);
        return buf;
    }
    *id = r->id;
    return NULL;
}

static bool has_str(char **v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

/* ---- the flags layer ---- */

bool config_take_flag(struct config *fl, struct args *a, int id, const struct arg_val *v)
{
    char buf[512];
    const char *flag = NULL;
    for (const struct arg_opt *o = a->cmd->opts; o && o->id; o++)
        if (o->id == id) flag = o->name;
    if (id == CONFIG_OPT_FILE) {
        fl->file_flag = v->str;
        return true;
    }
    if (id == CONFIG_OPT_NONE) {
        fl->no_config = true;
        return true;
    }
    if (id < CONFIG_OPT(0) || id >= CONFIG_OPT(CFG_NKEYS)) return false;
    enum cfg_key k = (enum cfg_key)(id - CONFIG_OPT(0));
    switch (k) {
    case CFG_ENABLE:
    case CFG_DISABLE: {
        char *dup = xstrdup(v->str), *save = NULL;
        for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            while (*tok == ' ') tok++;
            const char *rid, *err = check_rule(tok, &rid, buf, sizeof(buf));
            if (err) {
                args_fail(a, "--%s %s: %s", flag, tok, err);
                free(dup);
                return true;
            }
            if (k == CFG_ENABLE && !has_str(fl->enable.items, fl->enable.len, rid)) vec_push(&fl->enable, xstrdup(rid));
            if (k == CFG_DISABLE && !has_str(fl->disable.items, fl->disable.len, rid))
                vec_push(&fl->disable, xstrdup(rid));
        }
        free(dup);
        break;
    }
    case CFG_CONFIDENCE: fl->confidence = (enum confidence)v->choice; break;
    case CFG_EXCLUDE: vec_push(&fl->exclude, xstrdup(v->str)); break;
    case CFG_MODULES: vec_push(&fl->modules, xstrdup(v->str)); break;
    case CFG_GO:
        if (!config_parse_go(v->str, &fl->go_major, &fl->go_minor)) {
            args_fail(a, "--go wants a Go version like 1.21, got %s", v->str);
            return true;
        }
        break;
    case CFG_MAX_CHAN_BUFFER: fl->max_chan_buffer = v->num; break;
    case CFG_MIN_COUNT: fl->min_count = v->num; break;
    case CFG_MIN_WAIT: fl->min_wait = v->num; break;
    case CFG_MIN_GROWTH: fl->min_growth = v->num; break;
    case CFG_NKEYS: break;
    }
    fl->from[k].flag = flag;
    return true;
}

/* ---- the file ---- */

struct loader {
    struct config *c;
    const char *path; /* as messages name it */
    yaml_document_t *doc;
    bool ok;
};

static bool fail_at(struct loader *l, const yaml_node_t *n, const char *fmt, ...) GD_PRINTF(3, 4);
static bool fail_at(struct loader *l, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "godark: %s:%lu: ", l->path, n ? (unsigned long)n->start_mark.line + 1 : 1ul);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    l->ok = false;
    return false;
}

static int line_of(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Levenshtein distance, for "did you mean" */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64) return 99;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t s = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < s) s = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < s) s = d[i][j - 1] + 1;
            d[i][j] = s;
        }
    return d[la][lb];
}

/* " (did you mean "x"?)" when a known word is close, else "" */
static const char *suggest(const char *word, const char *const *known, size_t n, char *buf, size_t bn)
{
    size_t best = 3;
    const char *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, known[i]);
        if (d < best && d < strlen(known[i])) best = d, pick = known[i];
    }
    if (!pick) return "";
    snprintf(buf, bn, " (did you mean \"%s\"?)", pick);
    return buf;
}

/* Items of a list value: a sequence of scalars, or one scalar. */
static bool list_items(struct loader *l, const char *key, const yaml_node_t *v, const yaml_node_t **items,
                       size_t *n, size_t max)
{
    *n = 0;
    if (v->type == YAML_SCALAR_NODE) {
        items[(*n)++] = v;
        return true;
    }
    if (v->type != YAML_SEQUENCE_NODE) return fail_at(l, v, "%s wants a list, like %s: [a, b]", key, key);
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *e = yaml_document_get_node(l->doc, *it);
        if (!scalar(e)) return fail_at(l, e, "%s wants a list of strings", key);
        if (!*scalar(e)) return fail_at(l, e, "%s: an empty string", key);
        if (*n == max) return fail_at(l, e, "%s: more than %zu items", key, max);
        items[(*n)++] = e;
    }
    return true;
}

static bool int_value(struct loader *l, const char *key, const yaml_node_t *v, long long lo, long long hi,
                      long long *out)
{
    const char *s = scalar(v);
    char *e;
    errno = 0;
    long long x = s ? strtoll(s, &e, 10) : 0;
    if (!s || !*s || errno || *e || x < lo || x > hi)
        return fail_at(l, v, "%s wants a number from %lld to %lld, got %s", key, lo, hi, s ? s : "a list or mapping");
    *out = x;
    return true;
}

static const struct {
    const char *rule, *option;
    enum cfg_key key;
    long long lo, hi;
} rule_options[] = {
    {"GD201", "max-chan-buffer", CFG_MAX_CHAN_BUFFER, CFG_MAX_CHAN_BUFFER_MIN, CFG_MAX_CHAN_BUFFER_MAX},
    {"GD901", "min-count", CFG_MIN_COUNT, CFG_MIN_COUNT_MIN, CFG_MIN_COUNT_MAX},
    {"GD901", "min-wait", CFG_MIN_WAIT, CFG_MIN_WAIT_MIN, CFG_MIN_WAIT_MAX},
    {"GD902", "min-growth", CFG_MIN_GROWTH, CFG_MIN_GROWTH_MIN, CFG_MIN_GROWTH_MAX},
};

static long long *int_field(struct config *c, enum cfg_key k)
{
    return k == CFG_MAX_CHAN_BUFFER ? &c->max_chan_buffer
           : k == CFG_MIN_COUNT     ? &c->min_count
           : k == CFG_MIN_WAIT      ? &c->min_wait
                                    : &c->min_growth;
}

/* rules: {GD201: {max-chan-buffer: 1024}, runtime-leak-suspect: {min-count: 5}} */
static bool load_rules(struct loader *l, const yaml_node_t *v)
{
    char buf[512], sug[128];
    if (v->type != YAML_MAPPING_NODE)
        return fail_at(l, v, "rules wants a mapping of rule ids to options, like rules: {GD201: {max-chan-buffer: 1024}}");
    for (yaml_node_pair_t *p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
        const yaml_node_t *kn = yaml_document_get_node(l->doc, p->key), *vn = yaml_document_get_node(l->doc, p->value);
        const char *name = scalar(kn);
        const struct rule *r = name ? rule_find(name) : NULL;
        if (!r) return fail_at(l, kn, "rules: unknown rule %s (see `godark rules`)", name ? name : "(not a string)");
        const char *known[GD_ARRAY_LEN(rule_options)];
        size_t nk = 0;
        for (size_t i = 0; i < GD_ARRAY_LEN(rule_options); i++)
            if (!strcmp(rule_options[i].rule, r->id)) known[nk++] = rule_options[i].option;
        if (!nk) return fail_at(l, kn, "rules: %s %s has no options", r->id, r->name);
        if (vn->type != YAML_MAPPING_NODE) return fail_at(l, vn, "rules.%s wants a mapping of options", r->id);
        for (yaml_node_pair_t *q = vn->data.mapping.pairs.start; q < vn->data.mapping.pairs.top; q++) {
            const yaml_node_t *on = yaml_document_get_node(l->doc, q->key), *ov = yaml_document_get_node(l->doc, q->value);
            const char *opt = scalar(on);
            size_t i = 0;
            while (i < GD_ARRAY_LEN(rule_options) &&
                   (strcmp(rule_options[i].rule, r->id) || !opt || strcmp(rule_options[i].option, opt)))
                i++;
            if (i == GD_ARRAY_LEN(rule_options)) {
                size_t len = 0;
                for (size_t j = 0; j < nk; j++) len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", j ? ", " : "", known[j]);
                return fail_at(l, on, "rules.%s: unknown option \"%s\"%s (%s has: %s)", r->id, opt ? opt : "?",
                               opt ? suggest(opt, known, nk, sug, sizeof(sug)) : "", r->id, buf);
            }
            snprintf(buf, sizeof(buf), "rules.%s.%s", r->id, opt);
            if (!int_value(l, buf, ov, rule_options[i].lo, rule_options[i].hi, int_field(l->c, rule_options[i].key)))
                return false;
            l->c->from[rule_options[i].key] = (struct cfg_from){line_of(on), NULL};
        }
    }
    return true;
}

static const char *const top_keys[] = {"enable", "disable", "rules", "exclude", "confidence", "go", "modules"};

static bool load_key(struct loader *l, const char *key, const yaml_node_t *kn, const yaml_node_t *v)
{
    struct config *c = l->c;
    char buf[512];
    const yaml_node_t *items[1024];
    size_t n;
    if (!strcmp(key, "enable") || !strcmp(key, "disable")) {
        bool en = key[0] == 'e';
        if (!list_items(l, key, v, items, &n, GD_ARRAY_LEN(items))) return false;
        for (size_t i = 0; i < n; i++) {
            const char *id, *err = check_rule(scalar(items[i]), &id, buf, sizeof(buf));
            if (err) return fail_at(l, items[i], "%s: %s", key, err);
            if (en && !has_str(c->enable.items, c->enable.len, id)) vec_push(&c->enable, xstrdup(id));
            if (!en && !has_str(c->disable.items, c->disable.len, id)) vec_push(&c->disable, xstrdup(id));
        }
        c->from[en ? CFG_ENABLE : CFG_DISABLE] = (struct cfg_from){line_of(kn), NULL};
    } else if (!strcmp(key, "exclude") || !strcmp(key, "modules")) {
        bool ex = key[0] == 'e';
        if (!list_items(l, key, v, items, &n, GD_ARRAY_LEN(items))) return false;
        for (size_t i = 0; i < n; i++) {
            const char *s = scalar(items[i]);
            if (!*s) return fail_at(l, items[i], "%s: an empty string", key);
            if (ex) vec_push(&c->exclude, xstrdup(s));
            else vec_push(&c->modules, xstrdup(s));
        }
        c->from[ex ? CFG_EXCLUDE : CFG_MODULES] = (struct cfg_from){line_of(kn), NULL};
    } else if (!strcmp(key, "confidence")) {
        const char *s = scalar(v);
        if (!s || !confidence_parse(s, &c->confidence))
            return fail_at(l, v, "confidence wants high, medium or low, got %s", s ? s : "a list or mapping");
        c->from[CFG_CONFIDENCE] = (struct cfg_from){line_of(kn), NULL};
    } else if (!strcmp(key, "go")) {
        const char *s = scalar(v);
        if (!s || !config_parse_go(s, &c->go_major, &c->go_minor))
            return fail_at(l, v, "go wants a Go version like \"1.21\", got %s", s ? s : "a list or mapping");
        c->from[CFG_GO] = (struct cfg_from){line_of(kn), NULL};
    } else if (!strcmp(key, "rules")) {
        return load_rules(l, v);
    } else {
        char sug[128];
        const char *s = suggest(key, top_keys, GD_ARRAY_LEN(top_keys), sug, sizeof(sug));
        return fail_at(l, kn, "unknown key \"%s\"%s", key,
                       *s ? s : " (keys: enable, disable, rules, exclude, confidence, go, modules)");
    }
    return true;
}

bool config_load(struct config *c, const char *path)
{
    char *abs = path_abs(path);
    char *shown = path_display(abs);
    struct loader l = {c, shown, NULL, true};
    char *src;
    size_t len;
    const char *err;
    if (!read_file_all(path, &src, &len, &err)) {
        fprintf(stderr, "godark: %s: %s\n", shown, err);
        free(abs);
        free(shown);
        return false;
    }
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)src, len);
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(stderr, "godark: %s:%lu: not YAML: %s%s%s\n", shown, (unsigned long)parser.problem_mark.line + 1,
                parser.problem ? parser.problem : "syntax error", parser.context ? " " : "",
                parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        free(src);
        free(abs);
        free(shown);
        return false;
    }
    l.doc = &doc;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (root && !(root->type == YAML_SCALAR_NODE && !*scalar(root))) {
        if (root->type != YAML_MAPPING_NODE) {
            fail_at(&l, root, "the configuration must be a mapping of keys (enable:, exclude:, ...)");
        } else {
            for (yaml_node_pair_t *p = root->data.mapping.pairs.start; l.ok && p < root->data.mapping.pairs.top; p++) {
                const yaml_node_t *kn = yaml_document_get_node(&doc, p->key), *vn = yaml_document_get_node(&doc, p->value);
                const char *key = scalar(kn);
                if (!key) {
                    fail_at(&l, kn, "a key must be a string");
                    break;
                }
                for (yaml_node_pair_t *q = root->data.mapping.pairs.start; l.ok && q < p; q++) {
                    const yaml_node_t *prev = yaml_document_get_node(&doc, q->key);
                    if (scalar(prev) && !strcmp(scalar(prev), key))
                        fail_at(&l, kn, "duplicate key \"%s\" (first on line %d)", key, line_of(prev));
                }
                if (l.ok) load_key(&l, key, kn, vn);
            }
        }
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(src);
    if (l.ok) {
        free(c->path);
        free(c->dir);
        c->path = shown;
        char *slash = strrchr(abs, '/');
        if (slash == abs) abs[1] = 0;
        else if (slash) *slash = 0;
        c->dir = abs;
    } else {
        free(shown);
        free(abs);
    }
    return l.ok;
}

/* ---- the merge ---- */

static void copy_strs(void *dstv, char **src, size_t n)
{
    VEC(char *) *dst = dstv;
    strs_free(dst->items, dst->len);
    memset(dst, 0, sizeof(*dst));
    for (size_t i = 0; i < n; i++) vec_push(dst, xstrdup(src[i]));
}

bool config_resolve(struct config *eff, const struct config *fl, const char *start)
{
    config_init(eff);
    char *path = NULL;
    if (fl->file_flag) {
        struct stat st;
        if (stat(fl->file_flag, &st) != 0 || S_ISDIR(st.st_mode)) {
            fprintf(stderr, "godark: --config %s: %s\n", fl->file_flag,
                    stat(fl->file_flag, &st) == 0 ? "is a directory" : strerror(errno));
            return false;
        }
        path = xstrdup(fl->file_flag);
    } else if (!fl->no_config) {
        path = config_find(start);
    }
    if (path && !config_load(eff, path)) {
        free(path);
        return false;
    }
    free(path);
    if (eff->from[CFG_EXCLUDE].line) eff->exclude_root = xstrdup(eff->dir);
    for (int k = 0; k < CFG_NKEYS; k++) {
        if (!fl->from[k].flag) continue;
        eff->from[k] = fl->from[k];
        switch ((enum cfg_key)k) {
        case CFG_ENABLE: copy_strs(&eff->enable, fl->enable.items, fl->enable.len); break;
        case CFG_DISABLE: copy_strs(&eff->disable, fl->disable.items, fl->disable.len); break;
        case CFG_EXCLUDE:
            copy_strs(&eff->exclude, fl->exclude.items, fl->exclude.len);
            free(eff->exclude_root);
            eff->exclude_root = path_abs(".");
            break;
        case CFG_MODULES: copy_strs(&eff->modules, fl->modules.items, fl->modules.len); break;
        case CFG_CONFIDENCE: eff->confidence = fl->confidence; break;
        case CFG_GO: eff->go_major = fl->go_major, eff->go_minor = fl->go_minor; break;
        case CFG_MAX_CHAN_BUFFER:
        case CFG_MIN_COUNT:
        case CFG_MIN_WAIT:
        case CFG_MIN_GROWTH: *int_field(eff, (enum cfg_key)k) = *int_field((struct config *)fl, (enum cfg_key)k); break;
        case CFG_NKEYS: break;
        }
    }
    return true;
}

void config_enabled_rules(const struct config *c, bool *enabled)
{
    for (size_t i = 0; i < all_rules_count; i++) {
        const char *id = all_rules[i]->id;
        bool on = !c->enable.len || has_str(c->enable.items, c->enable.len, id);
        if (has_str(c->disable.items, c->disable.len, id)) on = false;
        /* a flag wins over the file: --enable X keeps X even if the file disables it */
        if (c->from[CFG_ENABLE].flag && !c->from[CFG_DISABLE].flag && has_str(c->enable.items, c->enable.len, id))
            on = true;
        enabled[i] = on;
    }
}

const char *config_from_text(const struct config *c, enum cfg_key k, char *buf, size_t n)
{
    if (c->from[k].flag) snprintf(buf, n, "flag --%s", c->from[k].flag);
    else if (c->from[k].line > 0) snprintf(buf, n, "%s:%d", c->path ? c->path : CONFIG_FILE_NAME, c->from[k].line);
    else snprintf(buf, n, "default");
    return buf;
}

static void join(struct buf *b, char **v, size_t n, const char *none)
{
    if (!n) buf_puts(b, none);
    for (size_t i = 0; i < n; i++) buf_printf(b, "%s%s", i ? ", " : "", v[i]);
}

void config_print(FILE *out, const struct config *c)
{
    fprintf(out, "file: %s\n", c->path ? c->path : "none (no " CONFIG_FILE_NAME " here or above)");
    static const char *const names[CFG_NKEYS] = {
        "enable", "disable", "confidence", "exclude", "go", "modules", "rules.GD201.max-chan-buffer",
        "rules.GD901.min-count", "rules.GD901.min-wait", "rules.GD902.min-growth"};
    struct buf v[CFG_NKEYS];
    memset(v, 0, sizeof(v));
    int w = 5;
    for (int k = 0; k < CFG_NKEYS; k++) {
        switch ((enum cfg_key)k) {
        case CFG_ENABLE: join(&v[k], c->enable.items, c->enable.len, "all rules"); break;
        case CFG_DISABLE: join(&v[k], c->disable.items, c->disable.len, "none"); break;
        case CFG_CONFIDENCE: buf_puts(&v[k], confidence_name(c->confidence)); break;
        case CFG_EXCLUDE: join(&v[k], c->exclude.items, c->exclude.len, "none"); break;
        case CFG_GO:
            if (c->go_minor >= 0) buf_printf(&v[k], "%d.%d", c->go_major, c->go_minor);
            else buf_puts(&v[k], "each package's go.mod, vendor.mod or go.work");
            break;
        case CFG_MODULES:
            join(&v[k], c->modules.items, c->modules.len, "all but the standard library and golang.org/x");
            break;
        default: buf_printf(&v[k], "%lld", *int_field((struct config *)c, (enum cfg_key)k)); break;
        }
        if ((int)v[k].len > w) w = (int)v[k].len;
    }
    fprintf(out, "%-28s %-*s  %s\n", "KEY", w, "VALUE", "FROM");
    for (int k = 0; k < CFG_NKEYS; k++) {
        char from[PATH_MAX + 32];
        fprintf(out, "%-28s %-*s  %s\n", names[k], w, v[k].data ? v[k].data : "",
                config_from_text(c, (enum cfg_key)k, from, sizeof(from)));
        buf_free(&v[k]);
    }
    if (c->exclude.len && c->exclude_root) fprintf(out, "exclude globs are relative to %s\n", c->exclude_root);
}
