/* profile/testrun: dumps of `go test` binaries (a timeout's panic dump, or
 * one written at the end of the tests): which test started each goroutine.
 * The test is the TestXxx frame under testing.tRunner in the goroutine's own
 * stack, or its creator's frame, or, following "created by ... in goroutine
 * N", the test of goroutine N; nothing when the dump does not show it. */
#include "profile_p.h"

#include <ctype.h>
#include <stdlib.h>

struct str prof_test_name(const char *func)
{
    struct str none = {func, 0};
    struct str pkg = prof_func_pkg(func);
    if (pkg.n >= strlen(func)) return none;
    const char *name = func + pkg.n + 1;
    size_t plen;
    if (!strncmp(name, "Test", 4)) plen = 4;
    else if (!strncmp(name, "Benchmark", 9)) plen = 9;
    else if (!strncmp(name, "Fuzz", 4)) plen = 4;
    else return none;
    /* go test's rule: TestXxx where Xxx does not start with a lower-case letter */
    if (islower((unsigned char)name[plen])) return none;
    size_t n = plen;
    while (name[n] && name[n] != '.' && name[n] != '[') n++;
    return str_make(name, n);
}

static int cmp_goid(const void *a, const void *b)
{
    int64_t x = ((const struct profile_goid *)a)->goid, y = ((const struct profile_goid *)b)->goid;
    return x < y ? -1 : x > y;
}

static const struct profile_goid *find_goid(const struct profile *p, int64_t goid)
{
    struct profile_goid key = {goid, -1, 0};
    return bsearch(&key, p->goids.items, p->goids.len, sizeof(key), cmp_goid);
}

/* The test of one group, without following creators. */
static uint32_t own_test(const struct profile *p, const struct profile_group *g)
{
    for (uint32_t k = 1; k < g->nframes; k++)
        if (!strcmp(p->frames.items[g->frames[k]].func, "testing.tRunner")) {
            uint32_t t = g->frames[k - 1];
            return prof_test_name(p->frames.items[t].func).n ? t : PROFILE_NONE;
        }
    if (g->creator != PROFILE_NONE && prof_test_name(p->frames.items[g->creator].func).n) return g->creator;
    return PROFILE_NONE;
}

bool prof_find_tests(struct profile *p)
{
    bool any = false;
    for (size_t i = 0; i < p->groups.len && !any; i++) {
        const struct profile_group *g = &p->groups.items[i];
        for (uint32_t k = 0; k < g->nframes && !any; k++)
            any = !strncmp(p->frames.items[g->frames[k]].func, "testing.", 8);
        if (g->creator != PROFILE_NONE && !strncmp(p->frames.items[g->creator].func, "testing.", 8)) any = true;
        if (g->creator != PROFILE_NONE && prof_test_name(p->frames.items[g->creator].func).n) any = true;
    }
    if (!any) return false; /* not a test binary: nothing to name */
    if (p->goids.len > 1) qsort(p->goids.items, p->goids.len, sizeof(*p->goids.items), cmp_goid);
    for (size_t i = 0; i < p->groups.len; i++) {
        struct profile_group *g = &p->groups.items[i];
        g->test = own_test(p, g);
        g->test_own = g->test != PROFILE_NONE;
    }
    /* a group whose stack does not say: its first goroutine's creators */
    for (size_t i = 0; i < p->groups.len; i++) {
        struct profile_group *g = &p->groups.items[i];
        if (g->test == PROFILE_NONE) g->test = prof_goroutine_test(p, g->creator_goid);
    }
    return true;
}

uint32_t prof_goroutine_test(const struct profile *p, int64_t creator_goid)
{
    /* a chain longer than this is not worth following */
    for (int depth = 0; creator_goid >= 0 && depth < 32; depth++) {
        const struct profile_goid *pg = find_goid(p, creator_goid);
        if (!pg) break;
        uint32_t t = own_test(p, &p->groups.items[pg->group]);
        if (t != PROFILE_NONE) return t;
        creator_goid = pg->creator_goid;
    }
    return PROFILE_NONE;
}
