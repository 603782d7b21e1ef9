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
  PetscBool       warn_unused; /* warn about options it never read (see below) */
} WalrasCommand;

PetscErrorCode WalrasCommandRun(int argc, char **argv);
PetscErrorCode WalrasCommandCheck(int argc, char **argv);
PetscErrorCode WalrasCommandDeriveChatDev(int argc, char **argv);

/* Exit status of a run that ended without error but without an equilibrium
   (3), so scripts and job arrays can tell; 0 otherwise. */
extern int walras_run_exit_status;

PetscErrorCode WalrasCommandClassic(int argc, char **argv);
PetscErrorCode WalrasCommandGenerate(int argc, char **argv);

/* The positional arguments of argv (argv[0] the command): the words right
   after the command up to the first that starts with '-'.  More than max is
   an input error that quotes usage, and so is a scenario (a word ending in
   .yaml or .yml) among the options when no positional was given.  Not
   collective; argv is the same on every rank. */
PetscErrorCode WalrasCliPositionals(int argc, char **argv, int max, const char *usage, int *n);

/* Collective on PETSC_COMM_WORLD: rank 0 checks the output path given to
   option (empty, a folder, or the same file as one of inputs[n_inputs],
   NULL entries skipped, what[k] saying what inputs[k] is) and every rank
   raises the same input error. */
PetscErrorCode WalrasCliCheckOutput(const char *option, const char *path, PetscInt n_inputs,
                                    const char *const inputs[], const char *const what[]);

/* Collective on PETSC_COMM_WORLD: one warning line on stderr from rank 0 for
   each option that nothing read (PETSc marks what it reads as used). */
PetscErrorCode WalrasCliWarnUnusedOptions(void);
