/* profile/parse_proto: ?debug=0 goroutine and goroutineleak profiles: gzip
 * (zlib, with a cap on the inflated size) around profile.proto, read by a
 * small protobuf reader that accepts packed and unpacked repeated fields. */
#include "profile_p.h"

#include <stdarg.h>
#include <stdlib.h>
#include <zlib.h>


/* ---- gzip ---- */

/* Inflates a gzip stream (or concatenated members) into *out. */
static bool gunzip(const unsigned char *in, size_t n, size_t max, unsigned char **out, size_t *outn,
                   struct profile_diag *d)
{
    z_stream zs;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) {
        prof_diagf(d, "zlib initialisation failed");
        return false;
    }
    size_t cap = n * 4 + 4096, len = 0;
    if (cap > max + 1) cap = max + 1;
    unsigned char *buf = xmalloc(cap);
    size_t off = 0;
    int rc = Z_OK;
    for (;;) {
        size_t chunk_in = n - off > (1u << 30) ? (1u << 30) : n - off;
        zs.next_in = (unsigned char *)in + off;
        zs.avail_in = (uInt)chunk_in;
        if (len == cap) {
            if (cap > max) {
                inflateEnd(&zs);
                free(buf);
                prof_diagf(d, "profile inflates past %zu bytes (--max-bytes): refusing", max);
                return false;
            }
            cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        size_t room = cap - len > (1u << 30) ? (1u << 30) : cap - len;
        zs.next_out = buf + len;
        zs.avail_out = (uInt)room;
        rc = inflate(&zs, Z_NO_FLUSH);
        len += room - zs.avail_out;
        off += chunk_in - zs.avail_in;
        if (len > max) {
            inflateEnd(&zs);
            free(buf);
            prof_diagf(d, "profile inflates past %zu bytes (--max-bytes): refusing", max);
            return false;
        }
        if (rc == Z_STREAM_END) {
            if (off < n && in[off] == 0x1f) { /* another gzip member */
                inflateReset(&zs);
                continue;
            }
            break;
        }
        if (rc == Z_BUF_ERROR && off >= n) {
            inflateEnd(&zs);
            free(buf);
            prof_diagf(d, "truncated gzip data: the profile ends before its compressed stream does");
            return false;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            inflateEnd(&zs);
            free(buf);
            prof_diagf(d, "corrupt gzip data (%s): not a readable profile", zs.msg ? zs.msg : "inflate error");
            return false;
        }
    }
    inflateEnd(&zs);
    *out = buf;
    *outn = len;
    return true;
}

/* ---- protobuf ---- */

struct pb {
    const unsigned char *p, *end;
    bool err;
};

static uint64_t pb_varint(struct pb *b)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (b->p >= b->end) {
            b->err = true;
            return 0;
        }
        unsigned char c = *b->p++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) return v;
    }
    b->err = true;
    return 0;
}

/* Next field key; false at the end or on error. */
static bool pb_key(struct pb *b, uint32_t *field, uint32_t *wt)
{
    if (b->err || b->p >= b->end) return false;
    uint64_t k = pb_varint(b);
    if (b->err) return false;
    *field = (uint32_t)(k >> 3);
    *wt = (uint32_t)(k & 7);
    return true;
}

static struct pb pb_sub(struct pb *b)
{
    struct pb s = {b->p, b->p, false};
    uint64_t n = pb_varint(b);
    if (b->err || n > (uint64_t)(b->end - b->p)) {
        b->err = true;
        s.err = true;
        return s;
    }
    s.p = b->p;
    s.end = b->p + n;
    b->p += n;
    return s;
}

static void pb_skip(struct pb *b, uint32_t wt)
{
    switch (wt) {
    case 0: pb_varint(b); break;
    case 1:
        if (b->end - b->p < 8) b->err = true;
        else b->p += 8;
        break;
    case 2: pb_sub(b); break;
    case 5:
        if (b->end - b->p < 4) b->err = true;
        else b->p += 4;
        break;
    default: b->err = true;
    }
}

/* A repeated varint field, packed (wt 2) or one element (wt 0). */
#define PB_REPEATED(b, wt, vecp)                                       \
    do {                                                               \
        if ((wt) == 0) {                                               \
            uint64_t v_ = pb_varint(b);                                \
            vec_push((vecp), v_);                                      \
        } else if ((wt) == 2) {                                        \
            struct pb s_ = pb_sub(b);                                  \
            while (!s_.err && s_.p < s_.end) {                         \
                uint64_t v_ = pb_varint(&s_);                          \
                if (!s_.err) vec_push((vecp), v_);                     \
            }                                                          \
            if (s_.err) (b)->err = true;                               \
        } else {                                                       \
            (b)->err = true;                                           \
        }                                                              \
    } while (0)

struct psample {
    size_t loc_off, nloc;
    int64_t value;   /* the chosen sample value */
    size_t val_off, nval;
    size_t lab_off, nlab;
};
struct plabel {
    int64_t key, str, num;
};
struct ploc {
    uint64_t id;
    size_t line_off, nline;
};
struct pline {
    uint64_t func;
    int64_t line;
};
struct pfunc {
    uint64_t id;
    int64_t name, file;
};
struct pstr {
    const char *p;
    size_t n;
};

static int cmp_loc(const void *a, const void *b)
{
    uint64_t x = ((const struct ploc *)a)->id, y = ((const struct ploc *)b)->id;
    return x < y ? -1 : x > y;
}
static int cmp_func(const void *a, const void *b)
{
    uint64_t x = ((const struct pfunc *)a)->id, y = ((const struct pfunc *)b)->id;
    return x < y ? -1 : x > y;
}

struct pdata {
    VEC(struct psample) samples;
    VEC(uint64_t) locids;
    VEC(uint64_t) values;
    VEC(struct plabel) labels;
    VEC(struct ploc) locs;
    VEC(struct pline) lines;
    VEC(struct pfunc) funcs;
    VEC(struct pstr) strs;
    VEC(int64_t) sample_types; /* type string index per sample type */
};

static void pdata_free(struct pdata *x)
{
    vec_free(&x->samples);
    vec_free(&x->locids);
    vec_free(&x->values);
    vec_free(&x->labels);
    vec_free(&x->locs);
    vec_free(&x->lines);
    vec_free(&x->funcs);
    vec_free(&x->strs);
    vec_free(&x->sample_types);
}

static bool decode(struct pdata *x, const unsigned char *data, size_t n)
{
    struct pb b = {data, data + n, false};
    uint32_t f, wt;
    while (pb_key(&b, &f, &wt)) {
        if (f == 1 && wt == 2) { /* sample_type */
            struct pb s = pb_sub(&b);
            int64_t type = 0;
            uint32_t f2, w2;
            while (pb_key(&s, &f2, &w2)) {
                if (f2 == 1 && w2 == 0) type = (int64_t)pb_varint(&s);
                else pb_skip(&s, w2);
            }
            if (s.err) return false;
            vec_push(&x->sample_types, type);
        } else if (f == 2 && wt == 2) { /* sample */
            struct pb s = pb_sub(&b);
            struct psample sm = {0};
            sm.loc_off = x->locids.len;
            sm.val_off = x->values.len;
            sm.lab_off = x->labels.len;
            uint32_t f2, w2;
            while (pb_key(&s, &f2, &w2)) {
                if (f2 == 1) PB_REPEATED(&s, w2, &x->locids);
                else if (f2 == 2) PB_REPEATED(&s, w2, &x->values);
                else if (f2 == 3 && w2 == 2) {
                    struct pb l = pb_sub(&s);
                    struct plabel lb = {0, 0, 0};
                    uint32_t f3, w3;
                    while (pb_key(&l, &f3, &w3)) {
                        if (w3 != 0) {
                            pb_skip(&l, w3);
                            continue;
                        }
                        uint64_t v = pb_varint(&l);
                        if (f3 == 1) lb.key = (int64_t)v;
                        else if (f3 == 2) lb.str = (int64_t)v;
                        else if (f3 == 3) lb.num = (int64_t)v;
                    }
                    if (l.err) return false;
                    vec_push(&x->labels, lb);
                } else pb_skip(&s, w2);
            }
            if (s.err) return false;
            sm.nloc = x->locids.len - sm.loc_off;
            sm.nval = x->values.len - sm.val_off;
            sm.nlab = x->labels.len - sm.lab_off;
            vec_push(&x->samples, sm);
        } else if (f == 4 && wt == 2) { /* location */
            struct pb s = pb_sub(&b);
            struct ploc lc = {0};
            lc.line_off = x->lines.len;
            uint32_t f2, w2;
            while (pb_key(&s, &f2, &w2)) {
                if (f2 == 1 && w2 == 0) lc.id = pb_varint(&s);
                else if (f2 == 4 && w2 == 2) {
                    struct pb l = pb_sub(&s);
                    struct pline ln = {0, 0};
                    uint32_t f3, w3;
                    while (pb_key(&l, &f3, &w3)) {
                        if (f3 == 1 && w3 == 0) ln.func = pb_varint(&l);
                        else if (f3 == 2 && w3 == 0) ln.line = (int64_t)pb_varint(&l);
                        else pb_skip(&l, w3);
                    }
                    if (l.err) return false;
                    vec_push(&x->lines, ln);
                } else pb_skip(&s, w2);
            }
            if (s.err) return false;
            lc.nline = x->lines.len - lc.line_off;
            vec_push(&x->locs, lc);
        } else if (f == 5 && wt == 2) { /* function */
            struct pb s = pb_sub(&b);
            struct pfunc fn = {0, 0, 0};
            uint32_t f2, w2;
            while (pb_key(&s, &f2, &w2)) {
                if (w2 != 0) {
                    pb_skip(&s, w2);
                    continue;
                }
                uint64_t v = pb_varint(&s);
                if (f2 == 1) fn.id = v;
                else if (f2 == 2) fn.name = (int64_t)v;
                else if (f2 == 4) fn.file = (int64_t)v;
            }
            if (s.err) return false;
            vec_push(&x->funcs, fn);
        } else if (f == 6 && wt == 2) { /* string_table */
            struct pb s = pb_sub(&b);
            if (b.err) return false;
            struct pstr st = {(const char *)s.p, (size_t)(s.end - s.p)};
            vec_push(&x->strs, st);
        } else {
            pb_skip(&b, wt);
        }
    }
    return !b.err;
}

static struct pstr str_at(const struct pdata *x, int64_t i)
{
    struct pstr s = {"", 0};
    if (i >= 0 && (uint64_t)i < x->strs.len) s = x->strs.items[i];
    return s;
}

bool prof_parse_proto(struct profile *p, const unsigned char *data, size_t n, size_t max_bytes,
                      struct profile_diag *d)
{
    unsigned char *raw = NULL;
    size_t rawn = n;
    const unsigned char *pbdata = data;
    if (n >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        if (!gunzip(data, n, max_bytes, &raw, &rawn, d)) return false;
        pbdata = raw;
    }
    struct pdata x = {0};
    bool ok = decode(&x, pbdata, rawn);
    if (!ok) {
        prof_diagf(d, "garbled profile.proto: malformed protobuf%s", raw ? " inside the gzip data" : "");
        goto out;
    }
    if (!x.strs.len || x.strs.items[0].n != 0) {
        prof_diagf(d, "not a pprof profile: no string table");
        ok = false;
        goto out;
    }
    /* the sample type: goroutine or goroutineleak */
    size_t vi = 0;
    bool found = false;
    for (size_t i = 0; i < x.sample_types.len; i++) {
        struct pstr t = str_at(&x, x.sample_types.items[i]);
        if ((t.n == 9 && !memcmp(t.p, "goroutine", 9)) || (t.n == 13 && !memcmp(t.p, "goroutineleak", 13))) {
            vi = i;
            found = true;
            if (t.n == 13) p->leak_profile = true;
            break;
        }
    }
    if (!found) {
        struct pstr t = x.sample_types.len ? str_at(&x, x.sample_types.items[0]) : (struct pstr){"?", 1};
        prof_diagf(d, "not a goroutine profile: sample type is \"%.*s\"", (int)(t.n > 40 ? 40 : t.n), t.p);
        ok = false;
        goto out;
    }
    /* qsort and bsearch want a non-NULL base even for 0 elements */
    if (x.locs.len) qsort(x.locs.items, x.locs.len, sizeof(*x.locs.items), cmp_loc);
    if (x.funcs.len) qsort(x.funcs.items, x.funcs.len, sizeof(*x.funcs.items), cmp_func);
    struct prof_gor g = {0};
    struct buf lab = {0};
    for (size_t si = 0; si < x.samples.len; si++) {
        const struct psample *sm = &x.samples.items[si];
        prof_gor_reset(&g);
        int64_t value = vi < sm->nval ? (int64_t)x.values.items[sm->val_off + vi] : 0;
        if (value <= 0) continue;
        for (size_t li = 0; li < sm->nloc; li++) {
            struct ploc key = {x.locids.items[sm->loc_off + li], 0, 0};
            const struct ploc *lc = x.locs.len ? bsearch(&key, x.locs.items, x.locs.len, sizeof(key), cmp_loc) : NULL;
            if (!lc) {
                uint32_t fid = prof_intern_frame(p, "?", 1, "?", 1, 0);
                vec_push(&g.raw, fid);
                continue;
            }
            /* lines[0] is the innermost inlined function: leaf first */
            for (size_t k = 0; k < lc->nline; k++) {
                const struct pline *ln = &x.lines.items[lc->line_off + k];
                struct pfunc fk = {ln->func, 0, 0};
                const struct pfunc *fn = x.funcs.len ? bsearch(&fk, x.funcs.items, x.funcs.len, sizeof(fk), cmp_func) : NULL;
                struct pstr name = fn ? str_at(&x, fn->name) : (struct pstr){"?", 1};
                struct pstr file = fn ? str_at(&x, fn->file) : (struct pstr){"?", 1};
                if (!name.n) name = (struct pstr){"?", 1};
                int line = ln->line > 0 && ln->line < 100000000 ? (int)ln->line : 0;
                vec_push(&g.raw, prof_intern_frame(p, name.p, name.n, file.p, file.n, line));
            }
        }
        g.state = prof_infer_state(p, g.raw.items, g.raw.len, 0, false, true);
        if (p->leak_profile) {
            char buf[200];
            int m = snprintf(buf, sizeof(buf), "%s (leaked)", p->states.items[g.state]);
            g.state = prof_intern_state(p, buf, (size_t)m < sizeof(buf) ? (size_t)m : sizeof(buf) - 1);
            g.leaked = true;
        }
        if (sm->nlab) {
            /* render as the text formats do, then canonicalise */
            lab.len = 0;
            buf_putc(&lab, '{');
            for (size_t k = 0; k < sm->nlab; k++) {
                const struct plabel *lb = &x.labels.items[sm->lab_off + k];
                struct pstr key = str_at(&x, lb->key), val = str_at(&x, lb->str);
                buf_puts(&lab, k ? ", \"" : "\"");
                for (size_t c = 0; c < key.n; c++) {
                    if (key.p[c] == '"' || key.p[c] == '\\') buf_putc(&lab, '\\');
                    buf_putc(&lab, key.p[c]);
                }
                buf_puts(&lab, "\":\"");
                if (lb->str) {
                    for (size_t c = 0; c < val.n; c++) {
                        if (val.p[c] == '"' || val.p[c] == '\\') buf_putc(&lab, '\\');
                        buf_putc(&lab, val.p[c]);
                    }
                } else {
                    buf_printf(&lab, "%lld", (long long)lb->num);
                }
                buf_putc(&lab, '"');
            }
            buf_putc(&lab, '}');
            g.labels = prof_parse_label_set(p, lab.data, lab.len);
        }
        prof_add(p, &g, (size_t)value);
    }
    buf_free(&lab);
    prof_gor_free(&g);
    if (p->total == 0 && !p->leak_profile) {
        prof_diagf(d, "goroutine profile without any sample");
        ok = false;
    }
out:
    pdata_free(&x);
    free(raw);
    return ok;
}
