/* tests/unit/test_package: the package model's declarations: package
 * grouping is tested through the CLI; here, method sets of interfaces
 * (with embedded interfaces) and of named types. */
#include <stdlib.h>
#include <string.h>

#include "../../src/model/model.h"
#include "../../src/syntax/parse.h"
#include "unit.h"

static const char *SRC = "package p\n"
                         "\n"
                         "import \"io\"\n"
                         "\n"
                         "type Reader interface{ Read(p []byte) (int, error) }\n"
                         "type ReadCloser interface {\n"
                         "\tReader\n"
                         "\tClose() error\n"
                         "}\n"
                         "type Ext interface {\n"
                         "\tio.Writer\n"
                         "\tFlush()\n"
                         "}\n"
                         "type File struct{ fd int }\n"
                         "\n"
                         "func (f *File) Read(p []byte) (int, error) { return 0, nil }\n"
                         "func (f File) Name() string               { return \"\" }\n"
                         "\n"
                         "type Wrapped struct{ *File }\n";

static void expect(struct tally *t, const struct pkg *p, const char *type, const char *want, bool want_complete)
{
    const char *names[16];
    bool complete;
    int n = model_method_names(p, type, names, 16, &complete);
    struct buf b = {0};
    buf_puts(&b, "");
    for (int i = 0; i < n; i++) buf_printf(&b, "%s%s", i ? " " : "", names[i]);
    char tname[96];
    snprintf(tname, sizeof tname, "package method set of %s", type);
    if (!strcmp(b.data, want) && complete == want_complete) unit_pass(t, tname);
    else unit_fail(t, tname, "got \"%s\" complete=%d, want \"%s\" complete=%d", b.data, complete, want, want_complete);
    buf_free(&b);
}

void test_package_all(struct tally *t)
{
    struct syntax_parser *sp = syntax_parser_new();
    struct gofile f;
    syntax_parse(sp, "pkg.go", xstrdup(SRC), strlen(SRC), &f);
    struct pkg p;
    pkg_init(&p, ".", &f, 1);
    expect(t, &p, "Reader", "Read", true);
    expect(t, &p, "ReadCloser", "Read Close", true);
    expect(t, &p, "Ext", "Flush", false);
    expect(t, &p, "File", "Read Name", true);
    expect(t, &p, "Wrapped", "", false);
    expect(t, &p, "Missing", "", false);
    pkg_free(&p);
    gofile_free(&f);
    syntax_parser_free(sp);
}
