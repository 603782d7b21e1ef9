/* Mooncake FAST'25 traces: one JSON object per line with timestamp (ms),
   input_length and output_length (tokens). */

#include "loaders/loaders_impl.h"

#include <string.h>

static PetscErrorCode ReadFields(const char *where, const cJSON *obj, PetscInt i,
                                 WalrasTrace *trace)
{
  PetscReal ms;

  PetscFunctionBegin;
  PetscCall(WalrasLoaderJSONNumber(where, obj, "timestamp", PETSC_FALSE, PETSC_FALSE, &ms));
  PetscCall(WalrasLoaderJSONNumber(where, obj, "input_length", PETSC_TRUE, PETSC_FALSE,
                                   &trace->in_tokens[i]));
  PetscCall(WalrasLoaderJSONNumber(where, obj, "output_length", PETSC_TRUE, PETSC_FALSE,
                                   &trace->out_tokens[i]));
  trace->t[i] = ms / 1000.0;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseLine(const char *path, PetscInt lineno, const char *line, PetscInt i,
                                WalrasTrace *trace)
{
  cJSON         *obj = cJSON_Parse(line);
  char           where[PETSC_MAX_PATH_LEN + 32], shown[64];
  PetscErrorCode ierr;

  PetscFunctionBegin;
  if (!cJSON_IsObject(obj)) {
    cJSON_Delete(obj);
    WalrasInputError("%s:%" PetscInt_FMT ": expected one JSON object per line, got '%s'", path,
                     lineno, WalrasLoaderExcerpt(line, shown));
  }
  PetscCall(PetscSNPrintf(where, sizeof(where), "%s:%" PetscInt_FMT, path, lineno));
  ierr = ReadFields(where, obj, i, trace);
  cJSON_Delete(obj);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

/*@ WalrasTraceLoadMooncakeJSONL - reads a Mooncake request trace.

  Not collective.  trace is filled with PetscMalloc'ed arrays (free them with
  WalrasTraceDestroy()); t is in seconds since the earliest request (the file
  gives milliseconds).  Blank lines are skipped; other keys (hash_ids) are
  ignored. @*/
PetscErrorCode WalrasTraceLoadMooncakeJSONL(const char *path, WalrasTrace *trace)
{
  char          *text, *cursor, *line;
  PetscInt       lineno = 0, rows = 0, capacity = 0;
  PetscErrorCode ierr = 0;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(trace, sizeof(*trace)));
  PetscCall(WalrasReadTextFile(path, "the Mooncake trace (JSONL)", &text, NULL));
  for (const char *c = text; *c; c++) capacity += (*c == '\n');
  PetscCall(WalrasLoaderTraceAlloc(capacity + 1, trace));

  cursor = text;
  while (!ierr && (line = WalrasLoaderNextLine(&cursor))) {
    lineno++;
    if (!*line) continue;
    ierr = ParseLine(path, lineno, line, rows, trace);
    if (!ierr) rows++;
  }
  PetscCall(PetscFree(text));
  if (ierr) PetscCall(WalrasTraceDestroy(trace));
  PetscCall(ierr);
  trace->n = rows;
  if (rows == 0) {
    PetscCall(WalrasTraceDestroy(trace));
    WalrasInputError("%s: no requests (expected at least one data row)", path);
  }
  PetscCall(WalrasLoaderTraceFinish(trace));
  PetscFunctionReturn(0);
}
