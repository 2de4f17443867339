/* profile/model: interning of frames, stacks (groups), wait reasons and label
 * sets; stack normalisation; wait-reason classification; block sites. */
#include "profile_p.h"

#include <ctype.h>
#include <stdlib.h>

const char *profile_format_name(enum profile_format f)
{
    switch (f) {
    case PROF_FMT_TRACEBACK: return "traceback";
    case PROF_FMT_DEBUG1: return "debug=1";
    case PROF_FMT_PROTO: return "proto";
    case PROF_FMT_UNKNOWN: break;
    }
    return "unknown";
}

const char *profile_class_name(enum profile_class c)
{
    switch (c) {
    case PCLASS_RUNTIME: return "runtime";
    case PCLASS_NORMAL: return "normal";
    case PCLASS_CANDIDATE: return "leak-candidate";
    case PCLASS_PERMANENT: return "permanent";
    }
    return "normal";
}

static bool has_prefix(const char *s, const char *pre) { return strncmp(s, pre, strlen(pre)) == 0; }

enum profile_class profile_classify_state(const char *s, bool leaked)
{
    if (leaked || strstr(s, "(leaked)")) return PCLASS_PERMANENT;
    if (strstr(s, "(nil chan)") || has_prefix(s, "select (no cases)")) return PCLASS_PERMANENT;
    static const char *const cand[] = {"chan send", "chan receive", "chan/select", "select", "sync.Cond.Wait",
                                       "sync.Mutex.Lock", "sync.RWMutex.RLock", "sync.RWMutex.Lock",
                                       "sync.WaitGroup.Wait", "semacquire", "coroutine"};
    for (size_t i = 0; i < GD_ARRAY_LEN(cand); i++) {
        size_t n = strlen(cand[i]);
        if (strncmp(s, cand[i], n) == 0 && (s[n] == 0 || s[n] == ' ' || s[n] == ',')) return PCLASS_CANDIDATE;
    }
    static const char *const rt[] = {"GC ", "garbage collection", "finalizer wait", "force gc", "GOMAXPROCS updater",
                                     "trace ", "wait for GC cycle", "stopping the world", "flushing proc caches",
                                     "page trace flush", "cleanup wait", "timer goroutine", "idle", "dumping heap",
                                     "debug call", "GC assist", "GC worker", "GC sweep", "GC scavenge",
                                     "GC mark", "GC weak"};
    for (size_t i = 0; i < GD_ARRAY_LEN(rt); i++)
        if (has_prefix(s, rt[i])) return PCLASS_RUNTIME;
    return PCLASS_NORMAL;
}

void profile_init(struct profile *p)
{
    memset(p, 0, sizeof(*p));
    arena_init(&p->arena);
    p->header_total = -1;
}

void profile_free(struct profile *p)
{
    for (size_t i = 0; i < p->groups.len; i++) {
        vec_free(&p->groups.items[i].states);
        vec_free(&p->groups.items[i].labels);
    }
    vec_free(&p->frames);
    vec_free(&p->groups);
    vec_free(&p->states);
    vec_free(&p->labels);
    vec_free(&p->sites);
    vec_free(&p->goids);
    free(p->frame_tab);
    free(p->group_tab);
    free(p->state_tab);
    free(p->label_tab);
    free(p->name);
    free(p->truncated_msg);
    free(p->goroot_src);
    arena_free(&p->arena);
    memset(p, 0, sizeof(*p));
}

void profile_opts_default(struct profile_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->min_count = 3;
    o->min_wait = 10;
    o->min_growth = 3;
    o->min_confidence = CONF_MEDIUM;
}

/* ---- open-addressing tables of uint32 ids ---- */

static uint32_t *tab_new(size_t cap)
{
    uint32_t *t = xmalloc(cap * sizeof(*t));
    memset(t, 0xff, cap * sizeof(*t));
    return t;
}

/* Grows a table when it is half full; rehash uses the callback's hashes. */
typedef uint64_t (*hash_of_fn)(const struct profile *p, uint32_t id);
static void tab_grow(uint32_t **tab, size_t *cap, size_t len, const struct profile *p, hash_of_fn hf)
{
    if (*tab && (len + 1) * 2 <= *cap) return;
    size_t ncap = *cap ? *cap * 2 : 256;
    uint32_t *nt = tab_new(ncap);
    for (size_t i = 0; *tab && i < *cap; i++) {
        uint32_t id = (*tab)[i];
        if (id == PROFILE_NONE) continue;
        size_t j = hf(p, id) & (ncap - 1);
        while (nt[j] != PROFILE_NONE) j = (j + 1) & (ncap - 1);
        nt[j] = id;
    }
    free(*tab);
    *tab = nt;
    *cap = ncap;
}

/* ---- package paths and frame flags ---- */

struct str prof_func_pkg(const char *func)
{
    size_t n = strlen(func);
    const char *slash = NULL;
    for (size_t i = 0; i < n; i++) {
        if (func[i] == '[' || func[i] == '(') break; /* brackets come after the package */
        if (func[i] == '/') slash = func + i;
    }
    const char *start = slash ? slash + 1 : func;
    const char *dot = strchr(start, '.');
    if (!dot) return str_make(func, n);
    return str_make(func, (size_t)(dot - func));
}

const char *prof_short_file(const char *file)
{
    const char *s = strrchr(file, '/');
    return s ? s + 1 : file;
}

static bool pkg_is(struct str pkg, const char *name) { return str_eq(pkg, name); }

bool prof_is_std_pkg(struct str pkg)
{
    size_t lo = 0, hi = prof_std_pkgs_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *s = prof_std_pkgs[mid];
        size_t n = strlen(s);
        int c = memcmp(s, pkg.p, n < pkg.n ? n : pkg.n);
        if (!c) c = n < pkg.n ? -1 : n > pkg.n ? 1 : 0;
        if (!c) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return false;
}

static uint32_t frame_flags(const char *func, const char *file)
{
    uint32_t fl = 0;
    struct str pkg = prof_func_pkg(func);
    bool rt = pkg_is(pkg, "runtime") || str_has_prefix(pkg, "internal/runtime/") ||
              str_has_prefix(pkg, "runtime/internal/");
    if (rt) {
        fl |= PF_RUNTIME | PF_INTERNAL | PF_STDLIB;
        const char *name = func + pkg.n + 1;
        if (*name == '(') name++;
        if (*name == '*') name++;
        if (!pkg_is(pkg, "runtime") || !isupper((unsigned char)*name)) fl |= PF_DROP;
    }
    if (!strcmp(file, "<autogenerated>")) fl |= PF_DROP;
    if (pkg_is(pkg, "sync") || pkg_is(pkg, "sync/atomic") || pkg_is(pkg, "iter") || pkg_is(pkg, "unique") ||
        pkg_is(pkg, "weak") || str_has_prefix(pkg, "internal/") || !strcmp(func, "time.Sleep"))
        fl |= PF_INTERNAL;
    /* The standard library is a fixed set of import paths (stdpkgs.c), not
     * "no dot in the first element": `module kernel` is the user's.
     * profile_analyze refines this with the GOROOT the dump shows. A name
     * with no package ("panic") is the runtime's. */
    if (prof_is_std_pkg(pkg) || str_has_prefix(pkg, "internal/") || str_has_prefix(pkg, "vendor/") ||
        !strchr(func, '.'))
        fl |= PF_STDLIB;
    if (str_has_prefix(pkg, "golang.org/x/")) fl |= PF_XREPO;
    return fl;
}

/* ---- frames ---- */

/* Frames are hashed from their file, line and name length: one file:line
 * is one function but for closures and inlined calls on the same line,
 * which only cost a longer probe, since equality is always decided by
 * comparing the bytes. The file is sampled (its first 8 bytes, 8 from the
 * middle, the last 16), and the words are mixed by independent 64x64->128
 * multiplies folded to 64 bits (wyhash's "mum") that the CPU runs side by
 * side: a chain of dependent multiplies over name and file was a tenth of
 * the parse time. */
static inline uint64_t mum(uint64_t a, uint64_t b)
{
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static uint64_t frame_hash(size_t fn, const char *file, size_t filen, int line)
{
    uint64_t w[4] = {0, 0, 0, 0};
    if (filen >= 16) {
        memcpy(&w[0], file, 8);
        memcpy(&w[1], file + filen / 2 - 4, 8);
        memcpy(&w[2], file + filen - 16, 8);
        memcpy(&w[3], file + filen - 8, 8);
    } else if (filen >= 8) {
        memcpy(&w[0], file, 8);
        memcpy(&w[1], file + filen - 8, 8);
    } else {
        memcpy(&w[0], file, filen);
    }
    uint64_t h = mum(w[0] ^ 0xa0761d6478bd642full, w[1] ^ 0xe7037ed1a0b428dbull) ^
                 mum(w[2] ^ 0x8ebc6af09c88c6e3ull, w[3] ^ 0x589965cc75374cc3ull) ^
                 mum(((uint64_t)fn << 32 | (uint64_t)filen) ^ 0x2d358dccaa6c78a5ull,
                     (uint64_t)(unsigned)line ^ 0x8bb84b93962eacc9ull);
    return mum(h ^ 0x1d8e4e27c47d124full, h ^ 0x4b33a62ed433d4a3ull);
}
static uint64_t frame_hash_of(const struct profile *p, uint32_t id) { return p->frames.items[id].hash; }

/* Writes func with each balanced [...] replaced by "[...]". */
static size_t normalise_func(const char *f, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i] == '[') {
            int depth = 0;
            size_t j = i;
            for (; j < n; j++) {
                if (f[j] == '[') depth++;
                else if (f[j] == ']' && --depth == 0) break;
            }
            if (j >= n) { /* unbalanced: keep as is */
                out[o++] = f[i];
                continue;
            }
            memcpy(out + o, "[...]", 5);
            o += 5;
            i = j;
        } else {
            out[o++] = f[i];
        }
    }
    return o;
}

/* The frame with exactly these bytes, or PROFILE_NONE; *slot gets the
 * empty slot where it would go. */
static uint32_t find_frame(struct profile *p, const char *func, size_t funclen, const char *file, size_t filelen,
                           int line, uint64_t h, size_t *slot)
{
    tab_grow(&p->frame_tab, &p->frame_cap, p->frames.len, p, frame_hash_of);
    size_t mask = p->frame_cap - 1, j = h & mask;
    for (;; j = (j + 1) & mask) {
        uint32_t id = p->frame_tab[j];
        if (id == PROFILE_NONE) break;
        const struct profile_frame *fr = &p->frames.items[id];
        if (fr->hash == h && fr->line == line && fr->func_len == funclen && fr->file_len == filelen &&
            prof_bytes_eq(fr->func, func, funclen) && prof_bytes_eq(fr->file, file, filelen))
            return id;
    }
    *slot = j;
    return PROFILE_NONE;
}

uint32_t prof_intern_frame(struct profile *p, const char *func, size_t funclen, const char *file, size_t filelen,
                           int line)
{
    /* Look the name up as printed first: a stored name is already normal
     * (normalising it changes nothing), so bytes equal to one are that
     * frame. Only names never seen as printed -- new frames, and Go < 1.21
     * instantiations like F[go.shape.int] -- pay for normalising. */
    size_t slot;
    uint32_t id = find_frame(p, func, funclen, file, filelen, line, frame_hash(funclen, file, filelen, line),
                             &slot);
    if (id != PROFILE_NONE) return id;
    char stackbuf[512];
    char *tmp = NULL;
    bool renamed = false;
    if (memchr(func, '[', funclen)) {
        tmp = funclen + 6 <= sizeof(stackbuf) ? stackbuf : xmalloc(funclen + 6);
        size_t n = normalise_func(func, funclen, tmp);
        renamed = n != funclen || memcmp(tmp, func, n);
        funclen = n;
        func = tmp;
    }
    if (funclen == 15 && !memcmp(func, "runtime.gopanic", 15)) func = "panic", funclen = 5, renamed = true;
    uint64_t h = frame_hash(funclen, file, filelen, line);
    if (renamed) {
        id = find_frame(p, func, funclen, file, filelen, line, h, &slot);
        if (id != PROFILE_NONE) {
            if (tmp && tmp != stackbuf) free(tmp);
            return id;
        }
    }
    struct profile_frame fr = {0};
    fr.func = arena_strndup(&p->arena, func, funclen);
    fr.file = arena_strndup(&p->arena, file, filelen);
    fr.line = line;
    fr.func_len = (uint32_t)funclen;
    fr.file_len = (uint32_t)filelen;
    fr.hash = h;
    fr.flags = frame_flags(fr.func, fr.file);
    id = (uint32_t)p->frames.len;
    vec_push(&p->frames, fr);
    p->frame_tab[slot] = id;
    if (tmp && tmp != stackbuf) free(tmp);
    return id;
}

uint32_t prof_elided_frame(struct profile *p)
{
    uint32_t id = prof_intern_frame(p, "...", 3, "", 0, 0);
    p->frames.items[id].flags = PF_ELIDED | PF_INTERNAL | PF_STDLIB;
    return id;
}

/* ---- strings: states and label sets ---- */

static uint64_t state_hash_of(const struct profile *p, uint32_t id)
{
    return prof_hash(p->states.items[id], strlen(p->states.items[id]), 7);
}
static uint64_t label_hash_of(const struct profile *p, uint32_t id)
{
    return prof_hash(p->labels.items[id], strlen(p->labels.items[id]), 7);
}

static uint32_t intern_str(struct profile *p, uint32_t **tab, size_t *cap, void *vecp, hash_of_fn hf, const char *s,
                           size_t n)
{
    VEC(const char *) *v = vecp;
    tab_grow(tab, cap, v->len, p, hf);
    uint64_t h = prof_hash(s, n, 7);
    size_t mask = *cap - 1, j = h & mask;
    for (;; j = (j + 1) & mask) {
        uint32_t id = (*tab)[j];
        if (id == PROFILE_NONE) break;
        if (!strncmp(v->items[id], s, n) && v->items[id][n] == 0) return id;
    }
    uint32_t id = (uint32_t)v->len;
    const char *copy = arena_strndup(&p->arena, s, n);
    vec_push(v, copy);
    (*tab)[j] = id;
    return id;
}

uint32_t prof_intern_state(struct profile *p, const char *s, size_t n)
{
    /* dumps repeat the same reason goroutine after goroutine */
    if (p->states.len) {
        const char *last = p->states.items[p->last_state];
        if (!strncmp(last, s, n) && last[n] == 0) return p->last_state;
    }
    return p->last_state = intern_str(p, &p->state_tab, &p->state_cap, &p->states, state_hash_of, s, n);
}

uint32_t prof_intern_labels(struct profile *p, const char *s, size_t n)
{
    return intern_str(p, &p->label_tab, &p->label_cap, &p->labels, label_hash_of, s, n);
}

/* ---- goroutines and groups ---- */

void prof_gor_reset(struct prof_gor *g)
{
    g->raw.len = 0;
    g->norm.len = 0;
    g->state = PROFILE_NONE;
    g->wait = -1;
    g->goid = -1;
    g->creator_goid = -1;
    g->creator = PROFILE_NONE;
    g->labels = PROFILE_NONE;
    g->leaked = false;
    g->elided = false;
    g->hidden_leading = 0;
    g->parked = false;
}

void prof_gor_free(struct prof_gor *g)
{
    vec_free(&g->raw);
    vec_free(&g->norm);
}

static uint64_t group_hash_of(const struct profile *p, uint32_t id) { return p->groups.items[id].hash; }

static bool func_is(const struct profile *p, uint32_t id, const char *name)
{
    return !strcmp(p->frames.items[id].func, name);
}
static bool func_has_prefix(const struct profile *p, uint32_t id, const char *pre)
{
    return has_prefix(p->frames.items[id].func, pre);
}

/* The wait reason from the frames below the runtime: what a sync or poll
 * primitive at the top of the visible stack means. NULL if none known. */
static const char *infer_from_visible(const struct profile *p, const uint32_t *f, size_t n)
{
    if (!n) return NULL;
    const char *top = p->frames.items[f[0]].func;
    const char *next = n > 1 ? p->frames.items[f[1]].func : "";
    if (!strcmp(top, "sync.runtime_SemacquireMutex") || !strcmp(top, "internal/sync.runtime_SemacquireMutex")) {
        for (size_t i = 1; i < n && i < 5; i++) {
            const char *fn = p->frames.items[f[i]].func;
            if (!strcmp(fn, "sync.(*RWMutex).RLock")) return "sync.RWMutex.RLock";
            if (!strcmp(fn, "sync.(*RWMutex).Lock")) return "sync.RWMutex.Lock";
        }
        return "sync.Mutex.Lock";
    }
    if (!strcmp(top, "sync.runtime_SemacquireRWMutexR")) return "sync.RWMutex.RLock";
    if (!strcmp(top, "sync.runtime_SemacquireRWMutex")) return "sync.RWMutex.Lock";
    if (!strcmp(top, "sync.runtime_SemacquireWaitGroup")) return "sync.WaitGroup.Wait";
    if (!strcmp(top, "sync.runtime_Semacquire"))
        return !strcmp(next, "sync.(*WaitGroup).Wait") ? "sync.WaitGroup.Wait" : "semacquire";
    if (!strcmp(top, "sync.runtime_notifyListWait")) return "sync.Cond.Wait";
    if (!strcmp(top, "internal/poll.runtime_pollWait")) return "IO wait";
    if (!strcmp(top, "time.Sleep")) return "sleep";
    if (has_prefix(top, "runtime/pprof.")) return "running";
    if (!strcmp(top, "os/signal.signal_recv")) return "signal wait";
    if (has_prefix(top, "syscall.") || has_prefix(top, "internal/syscall/") ||
        has_prefix(top, "golang.org/x/sys/unix.Syscall") || has_prefix(top, "golang.org/x/sys/unix.RawSyscall"))
        return "syscall";
    if (has_prefix(top, "iter.")) return "coroutine";
    return NULL;
}

uint32_t prof_infer_state(struct profile *p, const uint32_t *raw, size_t n, int hidden_leading, bool parked,
                          bool have_runtime_frames)
{
    const char *s = NULL;
    if (have_runtime_frames) {
        /* proto: the runtime frames are there; read the blocking call. */
        size_t i = 0;
        bool park = n && (func_is(p, raw[0], "runtime.gopark") || func_is(p, raw[0], "runtime.goparkunlock"));
        for (; i < n && (p->frames.items[raw[i]].flags & PF_RUNTIME); i++) {
            if (!park) continue;
            if (s) continue;
            if (func_has_prefix(p, raw[i], "runtime.chansend")) s = "chan send";
            else if (func_has_prefix(p, raw[i], "runtime.chanrecv")) s = "chan receive";
            else if (func_is(p, raw[i], "runtime.selectgo")) s = "select";
            else if (func_is(p, raw[i], "runtime.block")) s = "select (no cases)";
            else if (func_is(p, raw[i], "runtime.netpollblock")) s = "IO wait";
            else if (func_is(p, raw[i], "runtime.coroswitch")) s = "coroutine";
            else if (func_is(p, raw[i], "runtime.timeSleep")) s = "sleep";
        }
        if (!s && i < n) s = infer_from_visible(p, raw + i, n - i); /* raw is NULL for an empty stack */
        if (!s) {
            if (i == n && n) s = "runtime";
            else s = park ? "waiting" : "running";
        }
    } else {
        /* debug=1: leading runtime frames are hidden. */
        s = infer_from_visible(p, raw, n);
        if (!s) {
            if (hidden_leading > 0 && parked) s = "chan/select";
            else s = "running";
        }
    }
    return prof_intern_state(p, s, strlen(s));
}

uint32_t prof_add(struct profile *p, struct prof_gor *g, size_t count)
{
    /* Normalise: drop the runtime frames above the first non-runtime one
     * (formats differ in showing them), then unexported runtime frames and
     * wrappers anywhere. */
    g->norm.len = 0;
    size_t i = 0;
    while (i < g->raw.len && (p->frames.items[g->raw.items[i]].flags & PF_RUNTIME)) i++;
    for (; i < g->raw.len; i++) {
        uint32_t id = g->raw.items[i];
        if (p->frames.items[id].flags & PF_DROP) continue;
        vec_push(&g->norm, id);
    }
    if (g->state == PROFILE_NONE) g->state = prof_infer_state(p, g->raw.items, g->raw.len, 0, false, true);
    uint64_t h = prof_hash(g->norm.items, g->norm.len * sizeof(uint32_t), 99);
    tab_grow(&p->group_tab, &p->group_cap, p->groups.len, p, group_hash_of);
    size_t mask = p->group_cap - 1, j = h & mask;
    uint32_t gid = PROFILE_NONE;
    for (;; j = (j + 1) & mask) {
        uint32_t id = p->group_tab[j];
        if (id == PROFILE_NONE) break;
        const struct profile_group *gr = &p->groups.items[id];
        if (gr->hash == h && gr->nframes == g->norm.len &&
            (!g->norm.len || !memcmp(gr->frames, g->norm.items, g->norm.len * sizeof(uint32_t)))) {
            gid = id;
            break;
        }
    }
    if (gid == PROFILE_NONE) {
        struct profile_group gr = {0};
        gr.nframes = (uint32_t)g->norm.len;
        gr.frames = arena_alloc(&p->arena, (g->norm.len ? g->norm.len : 1) * sizeof(uint32_t));
        if (g->norm.len) memcpy(gr.frames, g->norm.items, g->norm.len * sizeof(uint32_t));
        gr.hash = h;
        gr.min_wait = gr.max_wait = -1;
        gr.first_goid = g->goid;
        gr.creator = g->creator;
        gr.creator_goid = g->creator_goid;
        gr.test = PROFILE_NONE;
        gr.site = gr.user_frame = gr.main_state = PROFILE_NONE;
        gid = (uint32_t)p->groups.len;
        vec_push(&p->groups, gr);
        p->group_tab[j] = gid;
    }
    struct profile_group *gr = &p->groups.items[gid];
    gr->count += count;
    if (g->elided) gr->elided = true;
    if (gr->creator == PROFILE_NONE) gr->creator = g->creator;
    if (gr->creator_goid < 0) gr->creator_goid = g->creator_goid;
    if (g->goid >= 0 && p->goids.len < PROF_MAX_GOIDS) {
        struct profile_goid pg = {g->goid, g->creator_goid, gid};
        vec_push(&p->goids, pg);
    }
    if (gr->first_goid < 0 || (g->goid >= 0 && g->goid < gr->first_goid)) gr->first_goid = g->goid;
    if (g->wait >= 0) {
        if (gr->max_wait < g->wait) gr->max_wait = g->wait;
        if (gr->min_wait < 0 || gr->min_wait > g->wait) gr->min_wait = g->wait;
    }
    if (g->leaked) gr->leaked += count;
    size_t k;
    for (k = 0; k < gr->states.len && gr->states.items[k].state != g->state; k++) {}
    if (k == gr->states.len) {
        struct profile_state_count sc = {g->state, 0};
        vec_push(&gr->states, sc);
    }
    gr->states.items[k].count += count;
    if (g->labels != PROFILE_NONE) {
        for (k = 0; k < gr->labels.len && gr->labels.items[k].labels != g->labels; k++) {}
        if (k == gr->labels.len) {
            if (gr->labels.len < 64) { /* bounded: labels are for display */
                struct profile_label_count lc = {g->labels, 0};
                vec_push(&gr->labels, lc);
            } else {
                k = gr->labels.len - 1;
            }
        }
        gr->labels.items[k].count += count;
    }
    p->total += count;
    return gid;
}

/* ---- analysis ---- */

static void learn_goroot(struct profile *p)
{
    for (size_t i = 0; i < p->frames.len; i++) {
        const struct profile_frame *f = &p->frames.items[i];
        struct str pkg = prof_func_pkg(f->func);
        if (!(f->flags & PF_STDLIB) || f->file[0] != '/') continue;
        /* file = <root>/src/<pkg>/<name>.go for a standard package */
        char needle[256];
        if (pkg.n + 8 > sizeof(needle)) continue;
        snprintf(needle, sizeof(needle), "/src/%.*s/", (int)pkg.n, pkg.p);
        const char *at = strstr(f->file, needle);
        if (!at || strchr(at + strlen(needle), '/')) continue;
        if (!(pkg_is(pkg, "runtime") || pkg_is(pkg, "sync") || pkg_is(pkg, "net/http") || pkg_is(pkg, "net") ||
              pkg_is(pkg, "internal/poll") || pkg_is(pkg, "time") || pkg_is(pkg, "runtime/pprof")))
            continue;
        p->goroot_src = xstrndup(f->file, (size_t)(at - f->file) + 5);
        return;
    }
}

static bool is_user(const struct profile_frame *f, const struct profile_opts *o)
{
    if (f->flags & (PF_RUNTIME | PF_ELIDED)) return false;
    /* the main package go test generates is the test harness's, not code
     * the user wrote (like package testing) */
    if (!strcmp(prof_short_file(f->file), "_testmain.go")) return false;
    struct str pkg = prof_func_pkg(f->func);
    if (pkg_is(pkg, "main")) return true;
    if (o && o->nmodules) {
        for (size_t i = 0; i < o->nmodules; i++) {
            size_t n = strlen(o->modules[i]);
            while (n && o->modules[i][n - 1] == '/') n--;
            if (n && !strncmp(f->func, o->modules[i], n) && (f->func[n] == '.' || f->func[n] == '/')) return true;
        }
        return false;
    }
    return !(f->flags & (PF_STDLIB | PF_XREPO));
}

static int cmp_site(const void *pa, const void *pb, void *ctx)
{
    const struct profile *p = ctx;
    const struct profile_site *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    if (a->frame == b->frame) return 0;
    if (a->frame == PROFILE_NONE) return 1;
    if (b->frame == PROFILE_NONE) return -1;
    const struct profile_frame *fa = &p->frames.items[a->frame], *fb = &p->frames.items[b->frame];
    int c = strcmp(fa->file, fb->file);
    if (c) return c;
    if (fa->line != fb->line) return fa->line < fb->line ? -1 : 1;
    return strcmp(fa->func, fb->func);
}

struct state_vec {
    struct profile_state_count *items;
    size_t len, cap;
};
static void states_add(struct state_vec *v, uint32_t state, size_t count)
{
    for (size_t k = 0; k < v->len; k++)
        if (v->items[k].state == state) {
            v->items[k].count += count;
            return;
        }
    struct profile_state_count sc = {state, count};
    vec_push(v, sc);
}
static uint32_t states_top(const struct state_vec *v)
{
    uint32_t best = PROFILE_NONE;
    size_t n = 0;
    for (size_t k = 0; k < v->len; k++)
        if (v->items[k].count > n) n = v->items[k].count, best = v->items[k].state;
    return best;
}

/* Adds a test to a site's list of distinct tests (by name). */
static void add_site_test(const struct profile *p, struct profile_site *s, uint32_t test)
{
    struct str name = prof_test_name(p->frames.items[test].func);
    for (size_t k = 0; k < s->ntests; k++)
        if (str_eqs(prof_test_name(p->frames.items[s->tests[k]].func), name)) return;
    if (s->ntests < GD_ARRAY_LEN(s->tests)) s->tests[s->ntests++] = test;
    else s->more_tests = true;
}

void profile_analyze(struct profile *p, const struct profile_opts *o)
{
    if (!p->goroot_src) learn_goroot(p);
    size_t groot = p->goroot_src ? strlen(p->goroot_src) : 0;
    for (size_t i = 0; i < p->frames.len; i++) {
        struct profile_frame *f = &p->frames.items[i];
        f->flags &= ~PF_USER;
        /* The dump's GOROOT wins over the table: a package outside it is
         * the user's (a module named like a std package), and one under it
         * is std even when the table lacks it (a newer Go's package). */
        if (groot && f->file[0] == '/' && !(f->flags & (PF_RUNTIME | PF_ELIDED)) && strcmp(f->func, "panic") != 0) {
            if (strncmp(f->file, p->goroot_src, groot) != 0) f->flags &= ~PF_STDLIB;
            else f->flags |= PF_STDLIB;
        }
        if (is_user(f, o)) f->flags |= PF_USER;
    }
    bool test_binary = prof_find_tests(p);
    p->leak_marks = false;
    for (size_t gi = 0; gi < p->groups.len; gi++)
        if (p->groups.items[gi].leaked) p->leak_marks = true;
    uint32_t *site_of = xmalloc((p->frames.len + 1) * sizeof(uint32_t));
    memset(site_of, 0xff, (p->frames.len + 1) * sizeof(uint32_t));
    p->sites.len = 0;
    VEC(struct state_vec) site_states = {0};
    for (size_t gi = 0; gi < p->groups.len; gi++) {
        struct profile_group *g = &p->groups.items[gi];
        g->site = g->user_frame = PROFILE_NONE;
        for (uint32_t k = 0; k < g->nframes; k++) {
            uint32_t fid = g->frames[k];
            uint32_t fl = p->frames.items[fid].flags;
            if (g->site == PROFILE_NONE && !(fl & PF_INTERNAL)) g->site = fid;
            if (g->user_frame == PROFILE_NONE && (fl & PF_USER)) g->user_frame = fid;
        }
        size_t best = 0;
        g->main_state = PROFILE_NONE;
        for (size_t k = 0; k < g->states.len; k++)
            if (g->states.items[k].count > best) best = g->states.items[k].count, g->main_state = g->states.items[k].state;
        g->cls = g->main_state == PROFILE_NONE ? PCLASS_NORMAL
                                                : profile_classify_state(p->states.items[g->main_state], false);
        if (g->nframes == 0 && g->cls == PCLASS_CANDIDATE) g->cls = PCLASS_RUNTIME;
        if (p->leak_profile) g->cls = PCLASS_PERMANENT;

        uint32_t key = g->site == PROFILE_NONE ? (uint32_t)p->frames.len : g->site;
        if (site_of[key] == PROFILE_NONE) {
            struct profile_site s = {0};
            s.frame = g->site;
            s.max_wait = -1;
            s.first_group = (uint32_t)gi;
            s.creator = g->creator;
            s.user_frame = g->user_frame;
            s.main_state = g->main_state;
            s.one_creator = true;
            site_of[key] = (uint32_t)p->sites.len;
            vec_push(&p->sites, s);
            struct state_vec empty = {0};
            vec_push(&site_states, empty);
        }
        struct profile_site *s = &p->sites.items[site_of[key]];
        s->count += g->count;
        s->ngroups++;
        if (g->creator != p->groups.items[s->first_group].creator) s->one_creator = false;
        if (g->test_own) add_site_test(p, s, g->test);
        if (g->max_wait > s->max_wait) s->max_wait = g->max_wait;
        if (g->count > p->groups.items[s->first_group].count) {
            s->first_group = (uint32_t)gi;
            s->creator = g->creator;
            s->user_frame = g->user_frame;
        }
        /* The main goroutine parked for good is how servers are written
         * (`select {}` at the end of main), not a leak. */
        bool is_main = g->nframes && g->creator == PROFILE_NONE &&
                       !strcmp(p->frames.items[g->frames[g->nframes - 1]].func, "main.main");
        if (is_main && !p->leak_profile && g->cls > PCLASS_NORMAL) g->cls = PCLASS_NORMAL;
        for (size_t k = 0; k < g->states.len; k++) {
            enum profile_class c = p->leak_profile ? PCLASS_PERMANENT
                                                   : profile_classify_state(p->states.items[g->states.items[k].state], false);
            if (g->nframes == 0 && c == PCLASS_CANDIDATE) c = PCLASS_RUNTIME;
            if (is_main && !p->leak_profile && c > PCLASS_NORMAL) c = PCLASS_NORMAL;
            s->by_class[c] += g->states.items[k].count;
            states_add(&site_states.items[site_of[key]], g->states.items[k].state, g->states.items[k].count);
        }
    }
    /* goroutines of one stack may come from different tests: each one's own */
    for (size_t i = 0; test_binary && i < p->goids.len; i++) {
        const struct profile_goid *pg = &p->goids.items[i];
        const struct profile_group *g = &p->groups.items[pg->group];
        if (g->test_own) continue;
        uint32_t t = prof_goroutine_test(p, pg->creator_goid);
        uint32_t key = g->site == PROFILE_NONE ? (uint32_t)p->frames.len : g->site;
        if (t != PROFILE_NONE) add_site_test(p, &p->sites.items[site_of[key]], t);
    }
    /* each site's main state: the most common across its groups */
    for (size_t si = 0; si < p->sites.len; si++) {
        struct profile_site *s = &p->sites.items[si];
        s->main_state = states_top(&site_states.items[si]);
        vec_free(&site_states.items[si]);
    }
    vec_free(&site_states);
    free(site_of);
    if (p->sites.len > 1) qsort_r(p->sites.items, p->sites.len, sizeof(*p->sites.items), cmp_site, p);
}
