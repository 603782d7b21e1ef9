#include "loaders/loaders_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

char *WalrasLoaderNextLine(char **cursor)
{
  char  *line = *cursor, *end;
  size_t n;

  if (!line || !*line) return NULL;
  end = strchr(line, '\n');
  if (end) {
    *end    = '\0';
    *cursor = end + 1;
  } else {
    *cursor = line + strlen(line);
  }
  /* Every '\r' before the newline goes: a CRLF file converted to CRLF once
     more (\r\r\n) reads as well as the original. */
  n = strlen(line);
  while (n > 0 && line[n - 1] == '\r') line[--n] = '\0';
  return line;
}

PetscBool WalrasLoaderParseCount(const char *s, PetscReal *value)
{
  double v = 0;

  if (!*s) return PETSC_FALSE;
  for (const char *c = s; *c; c++) {
    if (*c < '0' || *c > '9') return PETSC_FALSE;
    v = 10 * v + (*c - '0');
  }
  *value = (PetscReal)v;
  return PETSC_TRUE;
}

PetscErrorCode WalrasLoaderTraceAlloc(PetscInt n, WalrasTrace *trace)
{
  PetscFunctionBegin;
  trace->n = n;
  PetscCall(PetscMalloc3(n, &trace->t, n, &trace->in_tokens, n, &trace->out_tokens));
  PetscFunctionReturn(0);
}

typedef struct {
  PetscReal t, in, out;
} Request;

static int CompareRequests(const void *a, const void *b)
{
  const Request *x = a, *y = b;

  return (x->t > y->t) - (x->t < y->t);
}

PetscErrorCode WalrasLoaderTraceFinish(WalrasTrace *trace)
{
  PetscInt  n      = trace->n;
  PetscBool sorted = PETSC_TRUE;
  PetscReal t0;

  PetscFunctionBegin;
  for (PetscInt i = 1; i < n && sorted; i++) sorted = (PetscBool)(trace->t[i - 1] <= trace->t[i]);
  if (!sorted) {
    Request *req;

    /* qsort is not stable: requests that arrive at the same instant may swap,
       which changes nothing that is computed from a trace. */
    PetscCall(PetscMalloc1(n, &req));
    for (PetscInt i = 0; i < n; i++) {
      req[i].t   = trace->t[i];
      req[i].in  = trace->in_tokens[i];
      req[i].out = trace->out_tokens[i];
    }
    qsort(req, (size_t)n, sizeof(*req), CompareRequests);
    for (PetscInt i = 0; i < n; i++) {
      trace->t[i]          = req[i].t;
      trace->in_tokens[i]  = req[i].in;
      trace->out_tokens[i] = req[i].out;
    }
    PetscCall(PetscFree(req));
  }

  t0 = trace->t[0];
  for (PetscInt i = 0; i < n; i++) trace->t[i] -= t0;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasTraceDestroy(WalrasTrace *trace)
{
  PetscFunctionBegin;
  if (!trace) PetscFunctionReturn(0);
  PetscCall(PetscFree3(trace->t, trace->in_tokens, trace->out_tokens));
  trace->n = 0;
  PetscFunctionReturn(0);
}

static int CompareReals(const void *a, const void *b)
{
  PetscReal x = *(const PetscReal *)a, y = *(const PetscReal *)b;

  return (x > y) - (x < y);
}

PetscReal WalrasLoaderMedian(PetscInt n, PetscReal a[])
{
  qsort(a, (size_t)n, sizeof(*a), CompareReals);
  return n % 2 ? a[n / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
}

const char *WalrasLoaderExcerpt(const char *s, char buf[64])
{
  size_t used = 0;

  /* At most 40 characters shown, then "...": 40 + 3 + 1 fit in buf. */
  for (const char *c = s; *c; c++) {
    unsigned char b = (unsigned char)*c;
    size_t        w = (b >= 0x20 && b < 0x7f) ? 1 : 4;

    if (used + w > 40) {
      snprintf(buf + used, 64 - used, "...");
      return buf;
    }
    if (w == 1)
      buf[used++] = (char)b;
    else
      used += (size_t)snprintf(buf + used, 64 - used, "\\x%02x", b);
  }
  buf[used] = '\0';
  return buf;
}

PetscErrorCode WalrasLoaderJSONNumber(const char *where, const cJSON *obj, const char *key,
                                      PetscBool whole, PetscBool positive, PetscReal *value)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
  const char  *want = whole ? "a whole number >= 0" : positive ? "a number > 0" : "a number >= 0";
  double       v;

  PetscFunctionBegin;
  WalrasCheckInput(item, "%s: '%s': expected %s, got nothing (the key is missing)", where, key,
                   want);
  if (!cJSON_IsNumber(item)) {
    char *shown = cJSON_PrintUnformatted(item);
    char  buf[64];

    PetscCall(PetscSNPrintf(buf, sizeof(buf), "%.40s", shown ? shown : "?"));
    cJSON_free(shown);
    WalrasInputError("%s: '%s': expected %s, got '%s'", where, key, want, buf);
  }
  v = item->valuedouble;
  WalrasCheckInput(isfinite(v) && v >= 0 && !(positive && v == 0) && !(whole && v != floor(v)),
                   "%s: '%s': expected %s, got '%.17g'", where, key, want, v);
  *value = (PetscReal)v;
  PetscFunctionReturn(0);
}
