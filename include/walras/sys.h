#pragma once

/* Base header of walras: error conventions and logging, shared by every module.

   Errors follow PETSc: every function that can fail returns PetscErrorCode and
   every call is wrapped in PetscCall(), so a failure carries a traceback.
   Three kinds of failure stay apart:
   - a broken internal invariant: PetscAssert() (debug builds only);
   - bad input or misuse: WalrasCheckInput(), always on, with a message that
     names the file, the line or key, and what was expected.  Input is read
     identically on every rank, so every rank raises the same error and the
     run ends on all of them (see WalrasExitAgree());
   - a solver that does not converge: a WalrasStopReason, never an error. */

#include <petscsys.h>

/* The error class of every input error; the error handler prints these once,
   from rank 0, without a traceback. */
#define WALRAS_ERR_INPUT PETSC_ERR_USER_INPUT

/* Raise an input error unless cond holds.  The message should start with
   "file:line: " (or "file: " when no line applies). */
#define WalrasCheckInput(cond, ...) PetscCheck(cond, PETSC_COMM_SELF, WALRAS_ERR_INPUT, __VA_ARGS__)

/* Raise an input error unconditionally. */
#define WalrasInputError(...) SETERRQ(PETSC_COMM_SELF, WALRAS_ERR_INPUT, __VA_ARGS__)

/* Installs the walras error handler: input errors print one line from rank 0
   ("walras: error: ..."), other errors print on the rank that raised them with
   their traceback.  Not collective. */
PETSC_EXTERN PetscErrorCode WalrasErrorHandlerPush(void);

/* Collective on comm (a communicator reserved for this call, so it cannot be
   confused with a collective still in progress elsewhere).  Every rank passes
   its own result; returns the exit status every rank should use.  A rank that
   waits more than timeout_s seconds for the others assumes they are stuck and
   aborts the whole job, so one failing rank never leaves the others hanging. */
PETSC_EXTERN int WalrasExitAgree(MPI_Comm comm, PetscErrorCode ierr, double timeout_s);

/* Logging from rank 0 of PETSC_COMM_WORLD, for a person to read at a glance. */
#define WalrasLog(...) PetscPrintf(PETSC_COMM_WORLD, __VA_ARGS__)

/* Reads a whole text file.  Not collective; *text is PetscMalloc'ed and owned
   by the caller.  A missing or unreadable file is an input error that names
   the path and says what the file was for; so are a directory and a file
   holding a NUL byte (which would cut the text short). */
PETSC_EXTERN PetscErrorCode WalrasReadTextFile(const char *path, const char *what, char **text,
                                               size_t *len);

/* Joins dir(base_path) and rel into out (size len) unless rel is absolute.
   Scenario files name their data relative to themselves. */
PETSC_EXTERN PetscErrorCode WalrasPathRelativeTo(const char *base_path, const char *rel, char *out,
                                                 size_t len);
