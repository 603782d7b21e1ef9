/* Scenario ("natural") ordering of the distributed vectors. */

#include "core/economyimpl.h"

PetscErrorCode WalrasEconomyCreateNatural(WalrasEconomy ec, Vec *natural, VecScatter *to_natural)
{
  PetscInt *from, *to, n = ec->nlocal * ec->bs;
  IS        is_from, is_to;

  PetscFunctionBegin;
  PetscCall(VecCreate(ec->comm, natural));
  PetscCall(VecSetSizes(*natural, PETSC_DECIDE, ec->A * ec->bs));
  PetscCall(VecSetBlockSize(*natural, ec->bs));
  PetscCall(VecSetFromOptions(*natural));

  /* Agent i of this rank is agent scenario_index[i] of the file. */
  PetscCall(PetscMalloc2(n + 1, &from, n + 1, &to));
  for (PetscInt i = 0; i < ec->nlocal; i++)
    for (PetscInt j = 0; j < ec->bs; j++) {
      from[i * ec->bs + j] = (ec->astart + i) * ec->bs + j;
      to[i * ec->bs + j]   = ec->scenario_index[i] * ec->bs + j;
    }
  PetscCall(ISCreateGeneral(ec->comm, n, from, PETSC_USE_POINTER, &is_from));
  PetscCall(ISCreateGeneral(ec->comm, n, to, PETSC_USE_POINTER, &is_to));
  PetscCall(VecScatterCreate(ec->y, is_from, *natural, is_to, to_natural));
  PetscCall(ISDestroy(&is_from));
  PetscCall(ISDestroy(&is_to));
  PetscCall(PetscFree2(from, to));
  PetscFunctionReturn(0);
}
