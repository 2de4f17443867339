/* profile/source: --source DIR. Maps a frame's file (a path on the machine
 * that built the binary) to a file under DIR by the longest path suffix that
 * exists there, and returns the text of a line. Files are read once. */
#include "profile_p.h"

#include <stdlib.h>
#include <sys/stat.h>

struct src_file {
    char *key;    /* dir + "\n" + original path */
    char *mapped; /* path under dir, or NULL if none */
    char *data;
    size_t len;
};

static VEC(struct src_file) cache;
static char *last_line;

static struct src_file *lookup(const char *dir, const char *file)
{
    char *key = xasprintf("%s\n%s", dir, file);
    for (size_t i = 0; i < cache.len; i++)
        if (!strcmp(cache.items[i].key, key)) {
            free(key);
            return &cache.items[i];
        }
    struct src_file sf = {key, NULL, NULL, 0};
    /* try "a/b/c.go", then "b/c.go", then "c.go" under dir */
    const char *s = file;
    while (*s == '/') s++;
    while (s && *s) {
        char *cand = xasprintf("%s/%s", dir, s);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode)) {
            const char *err;
            if (read_file_all(cand, &sf.data, &sf.len, &err)) {
                sf.mapped = cand;
                break;
            }
        }
        free(cand);
        s = strchr(s, '/');
        if (s) s++;
    }
    vec_push(&cache, sf);
    return &cache.items[cache.len - 1];
}

const char *prof_source_line(const char *dir, const char *file, int line, const char **mapped)
{
    if (!dir || !file || !*file || line <= 0) return NULL;
    struct src_file *sf = lookup(dir, file);
    if (!sf->data) return NULL;
    const char *p = sf->data, *e = sf->data + sf->len;
    for (int l = 1; l < line && p < e; l++) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        if (!nl) return NULL;
        p = nl + 1;
    }
    if (p >= e) return NULL;
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p);
    if (n && p[n - 1] == '\r') n--;
    free(last_line);
    last_line = xstrndup(p, n);
    *mapped = sf->mapped;
    return last_line;
}

void prof_source_cache_free(void)
{
    for (size_t i = 0; i < cache.len; i++) {
        free(cache.items[i].key);
        free(cache.items[i].mapped);
        free(cache.items[i].data);
    }
    vec_free(&cache);
    free(last_line);
    last_line = NULL;
}
