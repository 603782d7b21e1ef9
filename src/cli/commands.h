#pragma once

/* The subcommands of the walras executable.  Each gets argv with the
   subcommand at argv[0]; positional arguments come right after it, PETSc
   options (-tat_rtol 1e-12, -o out.h5, ...) anywhere after those. */

#include <walras/sys.h>

typedef PetscErrorCode (*WalrasCommandFn)(int argc, char **argv);

typedef struct {
  const char     *name;
  const char     *summary;
  WalrasCommandFn run;
} WalrasCommand;

PetscErrorCode WalrasCommandRun(int argc, char **argv);
PetscErrorCode WalrasCommandClassic(int argc, char **argv);
