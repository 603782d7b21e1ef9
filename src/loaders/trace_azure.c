/* Azure LLM inference trace 2023 (Splitwise): a CSV with the header
   TIMESTAMP,ContextTokens,GeneratedTokens and wall-clock arrival times. */

#include "loaders/loaders_impl.h"

#include <stdlib.h>
#include <string.h>

static const char azure_header[] = "TIMESTAMP,ContextTokens,GeneratedTokens";

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian).  Done by
   hand because timegm() is not POSIX and mktime() would apply a time zone. */
static long DaysFromCivil(long y, long m, long d)
{
  long era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Reads exactly n digits at s into *v. */
static PetscBool Digits(const char *s, int n, long *v)
{
  *v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return PETSC_FALSE;
    *v = 10 * *v + (s[i] - '0');
  }
  return PETSC_TRUE;
}

/* Parses "YYYY-MM-DD HH:MM:SS" with an optional fraction ".f..." into whole
   days since 1970 and seconds within the day (fraction included), so that
   differences keep the 100 ns resolution of the file. */
static PetscBool ParseTimestamp(const char *s, long *day, PetscReal *sec)
{
  long        y, mo, d, h, mi, se;
  const char *f    = s + 19;
  double      frac = 0, scale = 0.1;

  if (strlen(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
    return PETSC_FALSE;
  if (!Digits(s, 4, &y) || !Digits(s + 5, 2, &mo) || !Digits(s + 8, 2, &d) ||
      !Digits(s + 11, 2, &h) || !Digits(s + 14, 2, &mi) || !Digits(s + 17, 2, &se))
    return PETSC_FALSE;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return PETSC_FALSE;
  if (*f == '.') {
    if (!f[1]) return PETSC_FALSE;
    for (f++; *f >= '0' && *f <= '9'; f++, scale /= 10) frac += (*f - '0') * scale;
  }
  if (*f) return PETSC_FALSE;
  *day = DaysFromCivil(y, mo, d);
  *sec = (PetscReal)(3600 * h + 60 * mi + se) + frac;
  return PETSC_TRUE;
}

/* Splits line into exactly 3 comma-separated fields (in place). */
static PetscBool SplitFields(char *line, char *field[3])
{
  int n = 0;

  field[n++] = line;
  for (char *c = line; *c; c++)
    if (*c == ',') {
      if (n == 3) return PETSC_FALSE;
      *c         = '\0';
      field[n++] = c + 1;
    }
  return (PetscBool)(n == 3);
}

static PetscErrorCode ParseRow(const char *path, PetscInt lineno, char *line, long *day0,
                               PetscInt i, WalrasTrace *trace)
{
  char        shown[64], copy[64], *field[3];
  long        day;
  PetscReal   sec;
  const char *want = "a whole number >= 0";

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(copy, sizeof(copy), "%s", WalrasLoaderExcerpt(line, shown)));
  WalrasCheckInput(SplitFields(line, field),
                   "%s:%" PetscInt_FMT ": expected 3 comma-separated fields (%s), got '%s'", path,
                   lineno, azure_header, copy);
  WalrasCheckInput(ParseTimestamp(field[0], &day, &sec),
                   "%s:%" PetscInt_FMT
                   ": 'TIMESTAMP': expected YYYY-MM-DD HH:MM:SS[.fffffff], got '%s'",
                   path, lineno, WalrasLoaderExcerpt(field[0], shown));
  WalrasCheckInput(WalrasLoaderParseCount(field[1], &trace->in_tokens[i]),
                   "%s:%" PetscInt_FMT ": 'ContextTokens': expected %s, got '%s'", path, lineno,
                   want, WalrasLoaderExcerpt(field[1], shown));
  WalrasCheckInput(WalrasLoaderParseCount(field[2], &trace->out_tokens[i]),
                   "%s:%" PetscInt_FMT ": 'GeneratedTokens': expected %s, got '%s'", path, lineno,
                   want, WalrasLoaderExcerpt(field[2], shown));
  if (i == 0) *day0 = day;
  /* seconds since midnight of the first row's day: small numbers, full precision */
  trace->t[i] = (PetscReal)(day - *day0) * 86400.0 + sec;
  PetscFunctionReturn(0);
}

/*@ WalrasTraceLoadAzureCSV - reads an Azure LLM inference trace.

  Not collective.  trace is filled with PetscMalloc'ed arrays (free them with
  WalrasTraceDestroy()); t is in seconds since the earliest request.  Blank
  lines are skipped; any other malformed line is an input error naming the
  file, the line and the column. @*/
PetscErrorCode WalrasTraceLoadAzureCSV(const char *path, WalrasTrace *trace)
{
  char    *text, *cursor, *line, shown[64];
  PetscInt lineno = 1, rows = 0, capacity = 0;
  long     day0 = 0;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(trace, sizeof(*trace)));
  PetscCall(WalrasReadTextFile(path, "the Azure trace (CSV)", &text, NULL));
  for (const char *c = text; *c; c++) capacity += (*c == '\n');
  cursor = text;

  line = WalrasLoaderNextLine(&cursor);
  if (!line) {
    PetscCall(PetscFree(text));
    WalrasInputError("%s: no requests (expected at least one data row)", path);
  }
  if (strcmp(line, azure_header)) {
    /* The excerpt is written into shown, which outlives text. */
    WalrasLoaderExcerpt(line, shown);
    PetscCall(PetscFree(text));
    WalrasInputError("%s:1: header: expected '%s', got '%s'", path, azure_header, shown);
  }

  PetscCall(WalrasLoaderTraceAlloc(capacity + 1, trace));
  while ((line = WalrasLoaderNextLine(&cursor))) {
    PetscErrorCode ierr;

    lineno++;
    if (!*line) continue;
    ierr = ParseRow(path, lineno, line, &day0, rows, trace);
    if (ierr) {
      PetscCall(PetscFree(text));
      PetscCall(WalrasTraceDestroy(trace));
    }
    PetscCall(ierr);
    rows++;
  }
  PetscCall(PetscFree(text));
  trace->n = rows;
  if (rows == 0) {
    PetscCall(WalrasTraceDestroy(trace));
    WalrasInputError("%s: no requests (expected at least one data row)", path);
  }
  PetscCall(WalrasLoaderTraceFinish(trace));
  PetscFunctionReturn(0);
}
