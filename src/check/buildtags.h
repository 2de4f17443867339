/* check/buildtags: which files the go tool would build, so that `check`
 * analyses one GOOS/GOARCH variant of a package, not every variant at
 * once: file name suffixes (`_linux.go`, `_arm64.go`, `_windows_386.go`)
 * and `//go:build` lines (or the older `// +build` lines) before the
 * package clause. `//go:build ignore` files are never built. */
#ifndef GODARK_BUILDTAGS_H
#define GODARK_BUILDTAGS_H

#include "../base/base.h"

struct build_ctx {
    char goos[32], goarch[32];
    bool cgo;
    /* extra tags (--tags), comma separated in the original flag */
    char **tags;
    int ntags;
};

/* The host's variant: $GOOS / $GOARCH when set, else the running
 * system's; cgo unless CGO_ENABLED=0. goos, goarch and tags (a comma or
 * space separated list, or NULL) override. Free with build_ctx_free. */
void build_ctx_init(struct build_ctx *b, const char *goos, const char *goarch, const char *tags);
void build_ctx_free(struct build_ctx *b);

/* Is tag set for b (GOOS, GOARCH, unix, gc, cgo, go1.N up to the current
 * release, an extra tag; android implies linux, ios darwin, illumos
 * solaris)? */
bool build_tag_set(const struct build_ctx *b, const char *tag, size_t n);

/* Does the file named name (a base name) with contents src (its first
 * bytes suffice: up to the package clause) belong to the build of b? */
bool build_file_matches(const struct build_ctx *b, const char *name, const char *src, size_t len);

/* Evaluates a //go:build expression (the text after `//go:build`): true,
 * false, or -1 when it does not parse (the caller keeps the file). */
int build_expr_eval(const struct build_ctx *b, const char *expr, size_t len);

#endif
