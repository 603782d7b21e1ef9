#pragma once

/* Helpers shared by the loaders (private to src/loaders/). */

#include <walras/loaders.h>
#include <cjson/cJSON.h>

/* Cuts the next line out of *cursor (in place: the newline and every '\r'
   before it become '\0') and advances *cursor past it.  Returns NULL at the end of the
   text.  Line numbers are counted by the caller. */
char *WalrasLoaderNextLine(char **cursor);

/* True when s is a whole number >= 0 (digits only, no sign, no exponent). */
PetscBool WalrasLoaderParseCount(const char *s, PetscReal *value);

/* Allocates the arrays of a trace of n requests.  Not collective. */
PetscErrorCode WalrasLoaderTraceAlloc(PetscInt n, WalrasTrace *trace);

/* Sorts the requests by arrival (unless already sorted) and shifts the times
   so that the first request arrives at 0. */
PetscErrorCode WalrasLoaderTraceFinish(WalrasTrace *trace);

/* Median of a[0..n) (n >= 1); sorts a in place.  With n even, the mean of the
   two middle values (numpy's and Python's statistics.median convention). */
PetscReal WalrasLoaderMedian(PetscInt n, PetscReal a[]);

/* Reads obj[key] as a number >= 0 (whole when whole is true, > 0 when
   positive is true); where names the place for the message ("FILE:LINE" or
   "FILE: request 3").  A missing key or a value of another type is an input
   error naming the key. */
PetscErrorCode WalrasLoaderJSONNumber(const char *where, const cJSON *obj, const char *key,
                                      PetscBool whole, PetscBool positive, PetscReal *value);

/* Shows at most 40 characters of s in an error message (with "..." when cut),
   each byte that is not printable ASCII (a control character, a byte of a
   binary file) as \xNN, so that the message stays one readable line.
   Returns buf. */
const char *WalrasLoaderExcerpt(const char *s, char buf[64]);
