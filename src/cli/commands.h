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
PetscErrorCode WalrasCommandCheck(int argc, char **argv);
PetscErrorCode WalrasCommandDeriveChatDev(int argc, char **argv);

/* Exit status of a run that ended without error but without an equilibrium
   (3), so scripts and job arrays can tell; 0 otherwise. */
extern int walras_run_exit_status;

PetscErrorCode WalrasCommandClassic(int argc, char **argv);
PetscErrorCode WalrasCommandGenerate(int argc, char **argv);
