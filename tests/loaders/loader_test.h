/* What the loader tests share: the captured error message, the paths of the
   real data (runs/data) and of broken copies written into a temporary folder. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <math.h>

#include <cmocka.h>
#include <walras/loaders.h>

static char last_error[2048];
static char temp_dir[256];

static inline PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun,
                                          const char *file, PetscErrorCode n, PetscErrorType p,
                                          const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(last_error, sizeof(last_error), "%s", mess);
  return n;
}

/* path of a file under runs/data of the source tree */
static inline const char *DataPath(const char *rel)
{
  static char path[4][1024];
  static int  next = 0;
  const char *root = getenv("WALRAS_SOURCE_DIR");
  char       *out  = path[next++ % 4];

  snprintf(out, sizeof(path[0]), "%s/runs/data/%s", root ? root : ".", rel);
  return out;
}

/* path of name in the temporary folder */
static inline const char *TempPath(const char *name)
{
  static char path[4][512];
  static int  next = 0;
  char       *out  = path[next++ % 4];

  snprintf(out, sizeof(path[0]), "%s/%s", temp_dir, name);
  return out;
}

/* writes text to name in the temporary folder and returns its path */
static inline const char *WriteTemp(const char *name, const char *text)
{
  const char *path = TempPath(name);
  FILE       *fp   = fopen(path, "w");

  assert_non_null(fp);
  fputs(text, fp);
  fclose(fp);
  return path;
}

/* PETSc up, errors captured, a fresh temporary folder; returns the cmocka status */
static inline int RunLoaderTests(int argc, char **argv, const struct CMUnitTest *tests, size_t n)
{
  int failed;

  snprintf(temp_dir, sizeof(temp_dir), "/tmp/walras-loaders-XXXXXX");
  if (!mkdtemp(temp_dir)) return 1;
  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  PetscPushErrorHandler(CaptureError, NULL);
  failed = _cmocka_run_group_tests("loaders", tests, n, NULL, NULL);
  PetscPopErrorHandler();
  PetscFinalize();
  if (!failed) {
    char cmd[300];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", temp_dir);
    if (system(cmd)) return 1;
  }
  return failed;
}
