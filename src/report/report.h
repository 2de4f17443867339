/* report: writes a finding list in one of the output formats. Formats take
 * the rule table for SARIF's rule list and for rule help links. */
#ifndef GODARK_REPORT_H
#define GODARK_REPORT_H

#include <stdio.h>

#include "finding.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB, FMT_CHECKSTYLE, FMT_JUNIT };

bool report_format_parse(const char *s, enum report_format *out);

struct report_opts {
    enum report_format format;
    bool color;            /* text only: ANSI colours */
    const char *tool_name; /* "godark" */
    const char *version;
    /* The kind of run, for SARIF's invocation and JSON's header:
     * "check", "goroutines", "diff". */
    const char *command;
    /* SARIF: the directory its relative URIs are relative to (%SRCROOT%):
     * --path-prefix, else the repository root, else the current
     * directory (NULL: worked out by report_write). */
    const char *root;
    /* SARIF: the URL of the rule pages (docs/rules/ published somewhere):
     * each rule's helpUri is <docs_url>/<ID>-<name>.md; NULL or empty: no
     * helpUri (godark has no page of its own on the web to point at) */
    const char *docs_url;
};

/* Writes all of `l` to out. check's paths in one style (paths.h: relative
 * to the current directory); SARIF's URIs relative to its root whenever a
 * file lies under it. Returns false on a write error. */
bool report_write(FILE *out, const struct finding_list *l, const struct report_opts *o);

/* One writer per format; each in its own file. */
bool report_write_text(FILE *out, const struct finding_list *l, const struct report_opts *o);
bool report_write_json(FILE *out, const struct finding_list *l, const struct report_opts *o);
bool report_write_sarif(FILE *out, const struct finding_list *l, const struct report_opts *o);
bool report_write_github(FILE *out, const struct finding_list *l, const struct report_opts *o);
bool report_write_checkstyle(FILE *out, const struct finding_list *l, const struct report_opts *o);
bool report_write_junit(FILE *out, const struct finding_list *l, const struct report_opts *o);

/* JSON string escaping, shared by json and sarif writers and by profile/. */
void json_put_string(FILE *out, const char *s);
/* XML attribute and text escaping (checkstyle, junit): & < > " ' as
 * entities; characters XML 1.0 cannot hold (C0 controls but tab and line
 * breaks, ill-formed UTF-8) as U+FFFD. */
void xml_put_string(FILE *out, const char *s);
/* The length of the well-formed UTF-8 sequence at s (a lead byte >= 0x80),
 * or 0 with *bad the number of bytes to skip as one U+FFFD. */
size_t report_utf8_seq(const unsigned char *s, size_t *bad);

#endif
