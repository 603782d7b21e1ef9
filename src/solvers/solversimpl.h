#pragma once

/* Private entry points shared by the solvers. */

#include <walras/solver.h>

/* Collective.  The plain tâtonnement (tatonnement.c) with its round limit
   and tolerance replaced by max_rounds and rtol (and no adaptive step, no
   monitor): the warm start of Newton's method. */
PETSC_INTERN PetscErrorCode WalrasSolveTatonnementWarm(WalrasMarket *market, Vec p,
                                                       WalrasSolveReport *report,
                                                       PetscInt max_rounds, PetscReal rtol);
