/* report/finding: the one shape every result takes, whether it came from
 * source analysis (check) or from a goroutine dump (goroutines, diff). */
#ifndef GODARK_FINDING_H
#define GODARK_FINDING_H

#include "../base/base.h"

enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO };
/* Low-confidence findings are hidden unless --confidence=low. */
enum confidence { CONF_HIGH, CONF_MEDIUM, CONF_LOW };

const char *severity_name(enum severity s);     /* "error", "warning", "info" */
const char *confidence_name(enum confidence c); /* "high", "medium", "low" */
bool confidence_parse(const char *s, enum confidence *out);

/* A secondary location: the spawn of a leaking goroutine, the creator of a
 * dump suspect, the other access of a race. */
struct related {
    char *file;
    int line, col;
    char *message;
};

/* A machine-applicable edit: replace the bytes [start, end) of file, as it
 * was when it was analysed, with text (start == end: an insertion). Rules
 * attach edits only when the fix is certainly correct (rule_edit); `check
 * --fix` applies them, `--diff` prints them, SARIF lists them as `fixes`.
 * line/col .. end_line/end_col are the same range, 1-based, the columns
 * counted in Unicode code points (SARIF's unit), the end exclusive. */
struct edit {
    char *file;
    size_t start, end;
    int line, col, end_line, end_col;
    char *text;
};

/* All strings are owned by the finding (malloc'd) and freed by
 * finding_list_free. file may be "" for findings with no location. */
struct finding {
    const char *rule_id;   /* static, from the rule table: "GD301" */
    const char *rule_name; /* static: "waitgroup-add-in-goroutine" */
    enum severity severity;
    enum confidence confidence;
    char *file;
    int line, col, end_line, end_col; /* 1-based; col counts bytes, as go/token does */
    char *message;
    char *fix;         /* optional suggested fix text, NULL if none */
    char *source_line; /* optional: the text of `line`, without newline, for the caret */
    struct related *related;
    size_t nrelated;
    /* The safe fix as edits (all or none apply); NULL/0 when there is none.
     * `fix` above stays the advice in words. */
    struct edit *edits;
    size_t nedits;
};

struct finding_list {
    struct finding *items;
    size_t len, cap;
};

/* Appends a zeroed finding and returns it for the caller to fill; pointer is
 * valid until the next push. Strings put in it become the list's. */
struct finding *finding_list_push(struct finding_list *l);
void finding_add_related(struct finding *f, const char *file, int line, int col, const char *msg);
/* Appends an edit (the strings are copied). */
void finding_add_edit(struct finding *f, const struct edit *e);
/* Moves every finding of src to the end of dst; src is left empty. */
void finding_list_move(struct finding_list *dst, struct finding_list *src);
/* Deterministic order: file, line, column, rule id, message. */
void finding_list_sort(struct finding_list *l);
/* Frees the strings of one finding (not the finding itself). */
void finding_clear(struct finding *f);
void finding_list_free(struct finding_list *l);
/* A fingerprint of finding f that survives line shifts: its rule, its file
 * as given (path: relative to a fixed root), and the text of its line
 * without blanks (a dump finding with no source: its message without
 * digits). Equal code flagged twice by one rule in one file gets the same
 * fingerprint; callers number such repeats (SARIF, baselines). */
uint64_t finding_fingerprint(const struct finding *f, const char *path);

#endif
