#pragma once

/* The HDF5 file of a run (layout: docs/output.md).  Written collectively by
   all ranks into a temporary file next to the target, which is renamed over
   the target only once complete: a crash never leaves a half-written file
   where a good one was. */

#include <walras/economy.h>
#include <walras/solver.h>

typedef struct _p_WalrasOutput *WalrasOutput;

/* Collective.  Creates the temporary file for path; an input error naming the
   path when it cannot be created (missing folder, no permission). */
PETSC_EXTERN PetscErrorCode WalrasOutputOpen(MPI_Comm comm, const char *path, WalrasOutput *out);

/* Collective.  Writes the equilibrium of economy at prices p (evaluated
   again here, so the file always holds one consistent state), the solver's
   history and the run's attributes. */
PETSC_EXTERN PetscErrorCode WalrasOutputWriteRun(WalrasOutput out, WalrasEconomy economy, Vec p,
                                                 const WalrasSolveReport *report);

/* Collective.  Closes the file and renames it into place. */
PETSC_EXTERN PetscErrorCode WalrasOutputCommit(WalrasOutput *out);

/* Not collective.  Removes the temporary file after an error (rank 0) and
   frees the handle without touching HDF5 collectively, so it is safe on any
   error path. */
PETSC_EXTERN PetscErrorCode WalrasOutputAbandon(WalrasOutput *out);

/* Not collective.  SHA-256 of text as 64 hex digits (out has room for 65). */
PETSC_EXTERN PetscErrorCode WalrasSHA256Hex(const char *text, size_t len, char out[65]);
