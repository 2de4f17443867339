/* rules/fixlib: line and indentation helpers for the rules that attach
 * machine-applicable edits. */
#include "fixlib.h"

#include "rulelib.h"

static bool blank(char c) { return c == ' ' || c == '\t'; }

uint32_t fx_line_start(const struct gofile *f, uint32_t at)
{
    while (at > 0 && f->src[at - 1] != '\n') at--;
    return at;
}

uint32_t fx_line_end(const struct gofile *f, uint32_t at)
{
    while (at < f->len && f->src[at] != '\n') at++;
    return at < f->len ? at + 1 : (uint32_t)f->len;
}

bool fx_indent(const struct gofile *f, nid n, struct str *indent)
{
    uint32_t s = f->nodes[n].start_byte, ls = fx_line_start(f, s);
    for (uint32_t i = ls; i < s; i++)
        if (!blank(f->src[i])) return false;
    *indent = str_make(f->src + ls, s - ls);
    return true;
}

bool fx_alone(const struct gofile *f, nid n, bool comment_ok)
{
    struct str ind;
    if (!fx_indent(f, n, &ind)) return false;
    uint32_t e = f->nodes[n].end_byte;
    while (e < f->len && blank(f->src[e])) e++;
    if (e >= f->len || f->src[e] == '\n') return true;
    return comment_ok && e + 1 < f->len && f->src[e] == '/' && f->src[e + 1] == '/';
}

bool fx_in_stmt_list(const struct gofile *f, nid st)
{
    if (!rl_is_stmt_kind(ast_kind(f, st))) return false;
    switch (ast_kind(f, ast_parent(f, st))) {
    case N_STATEMENT_LIST:
    case N_EXPRESSION_CASE:
    case N_TYPE_CASE:
    case N_DEFAULT_CASE:
        return true;
    case N_COMMUNICATION_CASE:
        return f->nodes[st].field != F_COMMUNICATION;
    default:
        return false;
    }
}

bool fx_name_used(const struct gofile *f, nid n, const char *name)
{
    for (nid k = n; k < f->nodes[n].end; k++)
        if ((ast_kind(f, k) == N_IDENTIFIER) && ast_text_is(f, k, name)) return true;
    return false;
}
