/* Locations for messages: "file:line: 'key':". */
#include "scenario/scenario_impl.h"

#include <stdarg.h>

WalrasWhere WalrasWhereOfNode(WalrasYAMLNode node)
{
  WalrasWhere where;

  where.file = WalrasYAMLPath(node.doc);
  where.line = WalrasYAMLLine(node);
  snprintf(where.key, sizeof(where.key), "%s", node.what);
  return where;
}

WalrasWhere WalrasWhereOfKey(const char *file, int line, const char *fmt, ...)
{
  WalrasWhere where;
  va_list     ap;

  where.file = file;
  where.line = line;
  va_start(ap, fmt);
  vsnprintf(where.key, sizeof(where.key), fmt, ap);
  va_end(ap);
  return where;
}

const char *WalrasWhereText(const WalrasWhere *where, char *buf, size_t len)
{
  const char *file = where->file ? where->file : "(scenario)";

  if (where->line > 0)
    snprintf(buf, len, "%s:%d: '%s':", file, where->line, where->key);
  else
    snprintf(buf, len, "%s: '%s':", file, where->key);
  return buf;
}

PetscErrorCode WalrasScenarioSourceDestroy(WalrasScenarioSource *src)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(src->agent));
  PetscCall(PetscFree(src->capacity));
  PetscCall(PetscFree(src->edge));
  PetscCall(PetscFree(src->exit));
  PetscCall(PetscFree(src->exit_where));
  PetscFunctionReturn(0);
}
