#pragma once

#include <walras/economy.h>
#include <walras/solver.h>

/* Collective.  The closing summary of a run, from rank 0: what a person
   reads at a glance (rounds, residual, Walras value, welfare, income, the
   five agents with the highest price). */
PetscErrorCode WalrasPrintSummary(WalrasEconomy economy, Vec p, const WalrasSolveReport *report,
                                  const char *output);
