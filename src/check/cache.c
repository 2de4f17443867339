/* check/cache: the result cache of `godark check`. One file per package
 * directory under DIR/xx/<32 hex>, written atomically, verified on read. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../model/model.h"
#include "../rules/rule.h"

#ifndef GODARK_VERSION
#define GODARK_VERSION "dev"
#endif

/* Bump when the entry layout or the meaning of the key changes. */
#define CACHE_FORMAT 2u /* 2: findings carry their edits */
#define MAGIC "GDKCACHE"
#define HEADER_SIZE 48u             /* magic 8, format 4, reserved 4, key 16, length 8, checksum 8 */
#define MAX_ENTRY (256u << 20)      /* anything larger is not ours */
#define TRIM_EVERY (24 * 3600)      /* seconds between trims (go's build cache: one day) */
#define TRIM_AGE (30L * 24 * 3600)  /* entries unused this long are removed */
#define TOUCH_AGE 3600              /* a hit refreshes an entry's mtime at most hourly */
#define TMP_AGE 3600                /* temporary files of crashed runs older than this go */

#if UINTPTR_MAX == 0xffffffffffffffffu
/* A new field in check_opts: if it changes findings, add it to
 * options_digest below, then update this size. */
_Static_assert(sizeof(struct check_opts) == 112, "check_opts changed: review options_digest in cache.c");
#endif

struct check_cache {
    char *dir;
    uint64_t base[2]; /* digest of godark's build and the options */
};

/* ---- hashing ---- */

#define P1 11400714785074694791ull
#define P2 14029467366897019727ull
#define P3 1609587929392839161ull
#define P4 9650029242287828579ull
#define P5 2870177450012600261ull

static inline uint64_t rotl64(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
static inline uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}
static inline uint64_t round64(uint64_t acc, uint64_t in) { return rotl64(acc + in * P2, 31) * P1; }
static inline uint64_t merge64(uint64_t acc, uint64_t v) { return (acc ^ round64(0, v)) * P1 + P4; }
static inline uint64_t avalanche(uint64_t h)
{
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

void cache_hash128(const void *data, size_t n, uint64_t seed, uint64_t out[2])
{
    const unsigned char *p = data, *end = p + n;
    uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
    while (end - p >= 32) {
        v1 = round64(v1, rd64(p));
        v2 = round64(v2, rd64(p + 8));
        v3 = round64(v3, rd64(p + 16));
        v4 = round64(v4, rd64(p + 24));
        p += 32;
    }
    /* the tail, zero-padded to one more block; the length goes in below */
    unsigned char blk[32] = {0};
    memcpy(blk, p, (size_t)(end - p));
    v1 = round64(v1, rd64(blk));
    v2 = round64(v2, rd64(blk + 8));
    v3 = round64(v3, rd64(blk + 16));
    v4 = round64(v4, rd64(blk + 24));
    /* two finalisations of the 256-bit state: lanes in opposite orders */
    uint64_t a = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
    a = merge64(merge64(merge64(merge64(a, v1), v2), v3), v4) + (uint64_t)n;
    uint64_t b = rotl64(v4, 1) + rotl64(v3, 7) + rotl64(v2, 12) + rotl64(v1, 18);
    b = merge64(merge64(merge64(merge64(b ^ P5, v4), v3), v2), v1) + (uint64_t)n * P5;
    out[0] = avalanche(a);
    out[1] = avalanche(b ^ rotl64(a, 29));
}

/* ---- key material ---- */

static void put_u64(struct buf *b, uint64_t v)
{
    unsigned char x[8];
    for (int i = 0; i < 8; i++) x[i] = (unsigned char)(v >> (8 * i));
    buf_append(b, (const char *)x, 8);
}
static void put_u32(struct buf *b, uint32_t v)
{
    unsigned char x[4];
    for (int i = 0; i < 4; i++) x[i] = (unsigned char)(v >> (8 * i));
    buf_append(b, (const char *)x, 4);
}
/* NULL and "" differ: NULL is length 0xffffffff. */
static void put_str(struct buf *b, const char *s)
{
    if (!s) {
        put_u32(b, 0xffffffffu);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_append(b, s, n);
}

/* What identifies this godark: the version, the binary itself (a rebuild
 * during development keeps the version string but changes size or mtime),
 * and the rule table. */
static void build_digest(struct buf *b)
{
    put_str(b, "godark result cache");
    put_u32(b, CACHE_FORMAT);
    put_str(b, GODARK_VERSION);
    struct stat st;
    if (stat("/proc/self/exe", &st) == 0) {
        put_u64(b, (uint64_t)st.st_size);
        put_u64(b, (uint64_t)st.st_mtim.tv_sec);
        put_u64(b, (uint64_t)st.st_mtim.tv_nsec);
        put_u64(b, (uint64_t)st.st_ino);
    } else {
        put_str(b, __DATE__ " " __TIME__); /* no /proc: this file's build time */
    }
    put_u64(b, all_rules_count);
    for (size_t i = 0; i < all_rules_count; i++) {
        put_str(b, all_rules[i]->id);
        put_str(b, all_rules[i]->name);
        put_u32(b, (uint32_t)all_rules[i]->severity);
    }
}

/* Every option that changes findings; jobs and the cache fields do not. */
static void options_digest(struct buf *b, const struct check_opts *o)
{
    put_u32(b, o->tests);
    put_u32(b, o->generated);
    put_u32(b, o->strict_ignores);
    put_u64(b, (uint64_t)o->max_chan_buffer);
    put_u32(b, (uint32_t)o->min_confidence);
    for (size_t i = 0; i < all_rules_count; i++) put_u32(b, o->enabled ? o->enabled[i] : 1);
    /* the go override changes findings and their messages (where it came from) */
    put_u32(b, (uint32_t)o->go_major);
    put_u32(b, (uint32_t)o->go_minor);
    put_str(b, o->go_minor >= 0 && o->go_from ? o->go_from : "");
    /* exclude, exclude_root and nexclude are applied after the cache: not hashed */
}

/* ---- the directory ---- */

static bool mkdir_p(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) return S_ISDIR(st.st_mode);
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = 0;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return false;
        }
        *s = '/';
    }
    bool ok = mkdir(p, 0777) == 0 || (errno == EEXIST && stat(p, &st) == 0 && S_ISDIR(st.st_mode));
    free(p);
    return ok;
}

char *check_cache_dir(const char *override)
{
    if (override && *override) return xstrdup(override);
    const char *env = getenv("GODARK_CACHE");
    if (env && !strcmp(env, "off")) return NULL;
    if (env && *env) return xstrdup(env);
    /* the XDG base directory spec: relative values are invalid, ignore them */
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/') return xasprintf("%s/godark", xdg);
    const char *home = getenv("HOME");
    if (home && home[0] == '/') return xasprintf("%s/.cache/godark", home);
    return NULL;
}

/* Writes data to path through a temporary file in the same directory and
 * rename(2): readers see the old file or the new one, never half of one. */
static bool write_atomic(const char *dir, const char *path, const char *data, size_t n)
{
    char *tmp = xasprintf("%s/.tmp-XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return false;
    }
    bool ok = write_fd_all(fd, data, n);
    ok = close(fd) == 0 && ok;
    if (ok) ok = rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
    free(tmp);
    return ok;
}

struct check_cache *check_cache_open(const struct check_opts *o)
{
    char *dir = check_cache_dir(o->cache_dir);
    if (!dir) return NULL;
    if (!mkdir_p(dir) || access(dir, R_OK | W_OK | X_OK) != 0) {
        free(dir);
        return NULL;
    }
    /* tells backup tools to skip the directory (bford.info/cachedir) */
    char *tag = xasprintf("%s/CACHEDIR.TAG", dir);
    if (access(tag, F_OK) != 0) {
        static const char text[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                                   "# This file is a cache directory tag created by godark.\n";
        write_atomic(dir, tag, text, sizeof text - 1);
    }
    free(tag);
    struct check_cache *c = xcalloc(1, sizeof *c);
    c->dir = dir;
    struct buf b = {0};
    build_digest(&b);
    options_digest(&b, o);
    cache_hash128(b.data, b.len, 0, c->base);
    buf_free(&b);
    return c;
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return s[n] == 0;
}

/* Visits the entries and temporary files of the shard directories, and
 * nothing else: a cache directory pointed at the wrong place loses no file
 * that godark did not write. fn returns whether to remove the file. */
static bool walk_entries(const char *dir, bool (*fn)(const char *path, const struct stat *st, bool tmp, time_t now),
                         bool remove_shards)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    time_t now = time(NULL);
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!is_hex(e->d_name, 2)) continue;
        char *shard = xasprintf("%s/%s", dir, e->d_name);
        DIR *sd = opendir(shard);
        if (sd) {
            struct dirent *f;
            while ((f = readdir(sd))) {
                bool tmp = !strncmp(f->d_name, ".tmp-", 5);
                if (!tmp && !is_hex(f->d_name, 32)) continue;
                char *path = xasprintf("%s/%s", shard, f->d_name);
                struct stat st;
                if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && fn(path, &st, tmp, now) && unlink(path) != 0 &&
                    errno != ENOENT)
                    ok = false;
                free(path);
            }
            closedir(sd);
            /* a shard that holds files godark did not write stays */
            if (remove_shards && rmdir(shard) != 0 && errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST)
                ok = false;
        }
        free(shard);
    }
    closedir(d);
    return ok;
}

static bool trim_old(const char *path, const struct stat *st, bool tmp, time_t now)
{
    (void)path;
    return now - st->st_mtime > (tmp ? TMP_AGE : TRIM_AGE);
}

static bool remove_any(const char *path, const struct stat *st, bool tmp, time_t now)
{
    (void)path, (void)st, (void)tmp, (void)now;
    return true;
}

void check_cache_close(struct check_cache *c)
{
    if (!c) return;
    /* like go's build cache: trim.txt's mtime says when the last trim ran */
    char *stamp = xasprintf("%s/trim.txt", c->dir);
    struct stat st;
    time_t now = time(NULL);
    bool have = stat(stamp, &st) == 0;
    if (!have || now - st.st_mtime > TRIM_EVERY) {
        if (have) walk_entries(c->dir, trim_old, false);
        char text[32];
        int n = snprintf(text, sizeof text, "%lld\n", (long long)now);
        write_atomic(c->dir, stamp, text, (size_t)n);
    }
    free(stamp);
    free(c->dir);
    free(c);
}

bool check_cache_clean(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) return errno == ENOENT;
    bool ok = walk_entries(dir, remove_any, true);
    char *stamp = xasprintf("%s/trim.txt", dir);
    unlink(stamp);
    free(stamp);
    return ok;
}

/* ---- keys and entries ---- */

void check_cache_key(const struct check_cache *c, const char *dir, char *const *paths, char *const *srcs,
                     const size_t *lens, int n, struct cache_key *k)
{
    struct buf b = {0};
    put_u64(&b, c->base[0]);
    put_u64(&b, c->base[1]);
    put_str(&b, dir);
    int maj, min;
    const char *from;
    model_dir_go_version(dir, &maj, &min, &from);
    put_u32(&b, (uint32_t)maj);
    put_u32(&b, (uint32_t)min);
    put_str(&b, from);
    put_u32(&b, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint64_t h[2];
        cache_hash128(srcs[i], lens[i], 0, h);
        put_str(&b, paths[i]);
        put_u64(&b, lens[i]);
        put_u64(&b, h[0]);
        put_u64(&b, h[1]);
    }
    cache_hash128(b.data, b.len, 1, k->h);
    buf_free(&b);
}

static char *entry_path(const struct check_cache *c, const struct cache_key *k, char **shard)
{
    char hex[33];
    snprintf(hex, sizeof hex, "%016llx%016llx", (unsigned long long)k->h[0], (unsigned long long)k->h[1]);
    if (shard) *shard = xasprintf("%s/%.2s", c->dir, hex);
    return xasprintf("%s/%.2s/%s", c->dir, hex, hex);
}

struct reader {
    const unsigned char *p, *end;
    bool bad;
};

static uint64_t get_u64(struct reader *r)
{
    if (r->end - r->p < 8) {
        r->bad = true;
        return 0;
    }
    uint64_t v = rd64(r->p);
    r->p += 8;
    return v;
}
static uint32_t get_u32(struct reader *r)
{
    if (r->end - r->p < 4) {
        r->bad = true;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}
static int get_int(struct reader *r) { return (int)(int32_t)get_u32(r); }
/* A malloc'd string, or NULL (stored NULL, or bad input: r->bad says) */
static char *get_str(struct reader *r)
{
    uint32_t n = get_u32(r);
    if (r->bad || n == 0xffffffffu) return NULL;
    if ((size_t)(r->end - r->p) < n) {
        r->bad = true;
        return NULL;
    }
    char *s = xstrndup((const char *)r->p, n);
    r->p += n;
    return s;
}

static bool decode(struct reader *r, struct finding_list *out, size_t *lines)
{
    *lines = (size_t)get_u64(r);
    uint32_t count = get_u32(r);
    for (uint32_t i = 0; i < count && !r->bad; i++) {
        struct finding *f = finding_list_push(out);
        char *id = get_str(r);
        const struct rule *rule = NULL;
        for (size_t k = 0; id && k < all_rules_count; k++)
            if (!strcmp(all_rules[k]->id, id)) rule = all_rules[k];
        free(id);
        if (!rule) {
            r->bad = true;
            break;
        }
        /* the table's own pointers: check compares rule ids by address */
        f->rule_id = rule->id;
        f->rule_name = rule->name;
        uint32_t sev = get_u32(r), conf = get_u32(r);
        if (sev > SEV_INFO || conf > CONF_LOW) r->bad = true;
        f->severity = (enum severity)sev;
        f->confidence = (enum confidence)conf;
        f->file = get_str(r);
        f->line = get_int(r);
        f->col = get_int(r);
        f->end_line = get_int(r);
        f->end_col = get_int(r);
        f->message = get_str(r);
        f->fix = get_str(r);
        f->source_line = get_str(r);
        uint32_t nrel = get_u32(r);
        if (nrel > (size_t)(r->end - r->p) / 16) r->bad = true; /* each takes at least 16 bytes */
        for (uint32_t j = 0; j < nrel && !r->bad; j++) {
            char *file = get_str(r);
            int line = get_int(r), col = get_int(r);
            char *msg = get_str(r);
            if (!r->bad && file && msg) finding_add_related(f, file, line, col, msg);
            else r->bad = true;
            free(file);
            free(msg);
        }
        uint32_t ned = get_u32(r);
        if (ned > (size_t)(r->end - r->p) / 40) r->bad = true; /* each takes at least 40 bytes */
        for (uint32_t j = 0; j < ned && !r->bad; j++) {
            struct edit e = {0};
            e.file = get_str(r);
            e.start = (size_t)get_u64(r);
            e.end = (size_t)get_u64(r);
            e.line = get_int(r);
            e.col = get_int(r);
            e.end_line = get_int(r);
            e.end_col = get_int(r);
            e.text = get_str(r);
            if (!r->bad && e.file && e.text && e.start <= e.end) finding_add_edit(f, &e);
            else r->bad = true;
            free(e.file);
            free(e.text);
        }
    }
    return !r->bad && r->p == r->end;
}

static bool read_all_fd(int fd, unsigned char *p, size_t n)
{
    while (n) {
        ssize_t got = read(fd, p, n);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        p += got, n -= (size_t)got;
    }
    return true;
}

bool check_cache_get(struct check_cache *c, const struct cache_key *k, struct finding_list *out, size_t *lines)
{
    char *path = entry_path(c, k, NULL);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0) return false;
    struct stat st;
    unsigned char *data = NULL;
    bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= HEADER_SIZE && st.st_size <= MAX_ENTRY;
    if (ok) {
        data = xmalloc((size_t)st.st_size);
        ok = read_all_fd(fd, data, (size_t)st.st_size);
    }
    /* a hit marks the entry used, so trimming keeps it */
    if (ok && time(NULL) - st.st_mtime > TOUCH_AGE) futimens(fd, NULL);
    close(fd);
    if (ok) {
        struct reader r = {data, data + st.st_size, false};
        r.p += 8;
        uint32_t format = get_u32(&r);
        get_u32(&r);
        uint64_t k0 = get_u64(&r), k1 = get_u64(&r), len = get_u64(&r), sum = get_u64(&r);
        ok = !memcmp(data, MAGIC, 8) && format == CACHE_FORMAT && k0 == k->h[0] && k1 == k->h[1] &&
             len == (uint64_t)st.st_size - HEADER_SIZE;
        if (ok) {
            uint64_t h[2];
            cache_hash128(r.p, (size_t)len, 2, h);
            ok = h[0] == sum;
        }
        if (ok) {
            struct finding_list mine = {0};
            ok = decode(&r, &mine, lines);
            if (ok) finding_list_move(out, &mine);
            finding_list_free(&mine);
        }
    }
    free(data);
    return ok;
}

void check_cache_put(struct check_cache *c, const struct cache_key *k, const struct finding_list *l, size_t lines)
{
    struct buf b = {0};
    buf_append(&b, MAGIC, 8);
    put_u32(&b, CACHE_FORMAT);
    put_u32(&b, 0);
    put_u64(&b, k->h[0]);
    put_u64(&b, k->h[1]);
    put_u64(&b, 0); /* length and checksum, filled in below */
    put_u64(&b, 0);
    put_u64(&b, lines);
    put_u32(&b, (uint32_t)l->len);
    for (size_t i = 0; i < l->len; i++) {
        const struct finding *f = &l->items[i];
        put_str(&b, f->rule_id);
        put_u32(&b, (uint32_t)f->severity);
        put_u32(&b, (uint32_t)f->confidence);
        put_str(&b, f->file);
        put_u32(&b, (uint32_t)f->line);
        put_u32(&b, (uint32_t)f->col);
        put_u32(&b, (uint32_t)f->end_line);
        put_u32(&b, (uint32_t)f->end_col);
        put_str(&b, f->message);
        put_str(&b, f->fix);
        put_str(&b, f->source_line);
        put_u32(&b, (uint32_t)f->nrelated);
        for (size_t j = 0; j < f->nrelated; j++) {
            put_str(&b, f->related[j].file ? f->related[j].file : "");
            put_u32(&b, (uint32_t)f->related[j].line);
            put_u32(&b, (uint32_t)f->related[j].col);
            put_str(&b, f->related[j].message ? f->related[j].message : "");
        }
        put_u32(&b, (uint32_t)f->nedits);
        for (size_t j = 0; j < f->nedits; j++) {
            const struct edit *e = &f->edits[j];
            put_str(&b, e->file ? e->file : "");
            put_u64(&b, e->start);
            put_u64(&b, e->end);
            put_u32(&b, (uint32_t)e->line);
            put_u32(&b, (uint32_t)e->col);
            put_u32(&b, (uint32_t)e->end_line);
            put_u32(&b, (uint32_t)e->end_col);
            put_str(&b, e->text ? e->text : "");
        }
    }
    size_t len = b.len - HEADER_SIZE;
    uint64_t h[2];
    cache_hash128(b.data + HEADER_SIZE, len, 2, h);
    for (int i = 0; i < 8; i++) {
        b.data[32 + i] = (char)(unsigned char)((uint64_t)len >> (8 * i));
        b.data[40 + i] = (char)(unsigned char)(h[0] >> (8 * i));
    }
    if (b.len <= MAX_ENTRY) {
        char *shard;
        char *path = entry_path(c, k, &shard);
        if (mkdir(shard, 0777) == 0 || errno == EEXIST) write_atomic(shard, path, b.data, b.len);
        free(path);
        free(shard);
    }
    buf_free(&b);
}
