/* config: the settings a run uses and where each came from: built-in
 * defaults, then a .godark.yml (libyaml), then command-line flags.
 *
 * A command keeps two struct config: one for its flags (filled while
 * parsing, config_take_flag) and the effective one, which config_resolve
 * builds from the defaults, the file (--config FILE, else the nearest
 * .godark.yml at or above the start directory, unless --no-config) and
 * the flags, a flag replacing the file's value of its key. */
#ifndef GODARK_CONFIG_H
#define GODARK_CONFIG_H

#include <stdio.h>

#include "../base/args.h"
#include "../base/base.h"
#include "../report/finding.h"

#define CONFIG_FILE_NAME ".godark.yml"

enum cfg_key {
    CFG_ENABLE,          /* rules on: only these (ids, canonical) */
    CFG_DISABLE,         /* rules off */
    CFG_CONFIDENCE,      /* lowest confidence shown */
    CFG_EXCLUDE,         /* globs relative to the config file's directory */
    CFG_GO,              /* language version override */
    CFG_MODULES,         /* user module prefixes (runtime side) */
    CFG_MAX_CHAN_BUFFER, /* rules.GD201.max-chan-buffer */
    CFG_MIN_COUNT,       /* rules.GD901.min-count */
    CFG_MIN_WAIT,        /* rules.GD901.min-wait (minutes; 0 = off) */
    CFG_MIN_GROWTH,      /* rules.GD902.min-growth */
    CFG_NKEYS
};

/* Accepted ranges, the same for the file and the flags. */
#define CFG_MAX_CHAN_BUFFER_MIN 0LL
#define CFG_MAX_CHAN_BUFFER_MAX 1000000000000LL
#define CFG_MIN_COUNT_MIN 1LL
#define CFG_MIN_COUNT_MAX 1000000000LL
#define CFG_MIN_WAIT_MIN 0LL
#define CFG_MIN_WAIT_MAX 1000000LL
#define CFG_MIN_GROWTH_MIN 1LL
#define CFG_MIN_GROWTH_MAX 1000000000LL

/* Where a value came from: a flag (flag != NULL), a line of the file
 * (line > 0), else the default. */
struct cfg_from {
    int line;
    const char *flag;
};

struct config {
    char *path; /* the file read, as messages name it; NULL: none */
    char *dir;  /* its directory, absolute and clean */
    char *exclude_root; /* what exclude globs are relative to: dir, or the current directory for --exclude */
    struct cfg_from from[CFG_NKEYS];
    VEC(char *) enable, disable, exclude, modules; /* malloc'd strings */
    enum confidence confidence;
    long long max_chan_buffer, min_count, min_wait, min_growth;
    int go_major, go_minor; /* go_minor < 0: no override */
    /* flags layer only: --config FILE, --no-config */
    const char *file_flag;
    bool no_config;
};

/* Defaults (check_opts_default and profile_opts_default agree with them). */
void config_init(struct config *c);
void config_free(struct config *c);

/* The nearest .godark.yml in start's directory (start itself when it is
 * a directory) or above it; malloc'd absolute path, or NULL. */
char *config_find(const char *start);
/* Reads path into c (whose values are the defaults or earlier layers).
 * False after printing "godark: PATH:LINE: message". */
bool config_load(struct config *c, const char *path);

/* Option ids the command tables use for the settings flags; their
 * entries are the CONFIG_ARG_* below. */
#define CONFIG_OPT(k) (1000 + (k))
#define CONFIG_OPT_FILE 1100
#define CONFIG_OPT_NONE 1101
#define CONFIG_ARG_FILE                                                                                               \
    {CONFIG_OPT_FILE, "config", 0, ARG_STR, "FILE", "read FILE, not the nearest " CONFIG_FILE_NAME, 0, 0, NULL}
#define CONFIG_ARG_NONE {CONFIG_OPT_NONE, "no-config", 0, ARG_FLAG, NULL, "read no " CONFIG_FILE_NAME, 0, 0, NULL}
#define CONFIG_ARG_ENABLE                                                                                             \
    {CONFIG_OPT(CFG_ENABLE), "enable", 0, ARG_STR, "IDS", "only these rules (ids or names, comma separated)", 0, 0, NULL}
#define CONFIG_ARG_DISABLE                                                                                            \
    {CONFIG_OPT(CFG_DISABLE), "disable", 0, ARG_STR, "IDS", "not these rules (ids or names, comma separated)", 0, 0, NULL}
extern const char *const config_confidence_names[]; /* high, medium, low: enum confidence order */
#define CONFIG_ARG_CONFIDENCE                                                                                         \
    {CONFIG_OPT(CFG_CONFIDENCE), "confidence", 0, ARG_ENUM, "LEVEL", "lowest confidence shown: high, medium (default) or low", \
     0, 0, config_confidence_names}
#define CONFIG_ARG_EXCLUDE                                                                                            \
    {CONFIG_OPT(CFG_EXCLUDE), "exclude", 0, ARG_STR, "GLOB",                                                         \
     "leave out paths matching GLOB (repeatable; relative to\nthe current directory; ** spans directories)", 0, 0, NULL}
#define CONFIG_ARG_GO                                                                                                 \
    {CONFIG_OPT(CFG_GO), "go", 0, ARG_STR, "VERSION", "language version of every package (1.21), not go.mod's", 0, 0, NULL}
#define CONFIG_ARG_MODULE                                                                                             \
    {CONFIG_OPT(CFG_MODULES), "module", 0, ARG_STR, "PREFIX",                                                        \
     "user code is PREFIX/... and main (repeatable);\ndefault: all but the standard library and golang.org/x", 0, 0, NULL}
#define CONFIG_ARG_MAX_CHAN_BUFFER                                                                                    \
    {CONFIG_OPT(CFG_MAX_CHAN_BUFFER), "max-chan-buffer", 0, ARG_INT, "N", "GD201 threshold (default 65536)",          \
     CFG_MAX_CHAN_BUFFER_MIN, CFG_MAX_CHAN_BUFFER_MAX, NULL}
#define CONFIG_ARG_MIN_COUNT                                                                                          \
    {CONFIG_OPT(CFG_MIN_COUNT), "min-count", 0, ARG_INT, "N", "goroutines at one site to suspect a leak (3)",         \
     CFG_MIN_COUNT_MIN, CFG_MIN_COUNT_MAX, NULL}
#define CONFIG_ARG_MIN_WAIT                                                                                           \
    {CONFIG_OPT(CFG_MIN_WAIT), "min-wait", 0, ARG_INT, "MINUTES",                                                    \
     "wait that makes a suspect high confidence (10; 0: off)", CFG_MIN_WAIT_MIN, CFG_MIN_WAIT_MAX, NULL}
#define CONFIG_ARG_MIN_GROWTH                                                                                         \
    {CONFIG_OPT(CFG_MIN_GROWTH), "min-growth", 0, ARG_INT, "N", "growth at one site to suspect a leak (3)",          \
     CFG_MIN_GROWTH_MIN, CFG_MIN_GROWTH_MAX, NULL}

/* Takes a settings flag into the flags layer fl: true when id is one of
 * them (a->stop is set after a bad value, printed), false when it is not. */
bool config_take_flag(struct config *fl, struct args *a, int id, const struct arg_val *v);

/* The effective configuration: defaults, the file (fl's --config, else
 * the nearest .godark.yml at or above start, unless --no-config), then
 * fl's flags. False after printing an error (exit 2). */
bool config_resolve(struct config *eff, const struct config *fl, const char *start);

/* Which rules run (indexed like all_rules[]): enable (all when empty)
 * minus disable; names a flag enabled stay on. */
void config_enabled_rules(const struct config *c, bool *enabled);

/* Where a key's value came from, for messages: "default", "flag --x",
 * ".godark.yml:7". Returns buf. */
const char *config_from_text(const struct config *c, enum cfg_key k, char *buf, size_t n);
/* `godark config`: every key, its value and where it came from. */
void config_print(FILE *out, const struct config *c);

/* "1.21", "go1.21", "1.21.3" -> 1, 21. */
bool config_parse_go(const char *s, int *major, int *minor);

#endif
