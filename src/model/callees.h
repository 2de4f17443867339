/* model/callees: the functions a call through a function value may call
 * (issue 18). First slice: unexported func-typed struct fields that the
 * package always sets to one package function or to one method bound to
 * the object holding the field. */
#ifndef GODARK_CALLEES_H
#define GODARK_CALLEES_H

#include "model.h"

/* The one package function or method (decl index) that field `field` of
 * package type `type` holds whenever the package sets it, or -1: an
 * exported field (others may set it), a func literal, another object's
 * method, two different functions, or never set. */
int model_func_field_callee(struct pkg *p, const char *type, struct str field);

#endif
