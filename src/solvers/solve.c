/* WalrasSolve: picks the solver named by -walras_solver. */

#include <walras/solver.h>

PetscErrorCode WalrasSolve(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  MPI_Comm  comm;
  char      solver[32] = "tatonnement";
  PetscBool set;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-walras_solver", solver, sizeof(solver), &set));
  if (!strcmp(solver, "tatonnement"))
    PetscCall(WalrasSolveTatonnement(market, p, report));
  else
    SETERRQ(comm, PETSC_ERR_USER_INPUT,
            "-walras_solver: unknown solver '%s' (expected tatonnement)", solver);
  PetscFunctionReturn(0);
}
