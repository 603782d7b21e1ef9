/* Scenario ("natural") ordering of the distributed vectors. */

#include "core/economyimpl.h"

PetscErrorCode WalrasEconomyCreateNatural(WalrasEconomy ec, Vec *natural, VecScatter *to_natural)
{
  PetscInt *from;
  IS        is_from, is_to;

  PetscFunctionBegin;
  PetscCall(VecCreate(ec->comm, natural));
  PetscCall(VecSetSizes(*natural, PETSC_DECIDE, ec->A * ec->bs));
  PetscCall(VecSetBlockSize(*natural, ec->bs));
  PetscCall(VecSetFromOptions(*natural));

  /* Agent i of this rank is agent scenario_index[i] of the file.  Block
     index sets (one index per agent, not per good) let PETSc build the
     scatter on blocks of bs goods, which keeps it small next to the Vecs. */
  PetscCall(PetscMalloc1(ec->nlocal + 1, &from));
  for (PetscInt i = 0; i < ec->nlocal; i++) from[i] = ec->astart + i;
  PetscCall(ISCreateBlock(ec->comm, ec->bs, ec->nlocal, from, PETSC_USE_POINTER, &is_from));
  PetscCall(
      ISCreateBlock(ec->comm, ec->bs, ec->nlocal, ec->scenario_index, PETSC_USE_POINTER, &is_to));
  PetscCall(VecScatterCreate(ec->y, is_from, *natural, is_to, to_natural));
  PetscCall(ISDestroy(&is_from));
  PetscCall(ISDestroy(&is_to));
  PetscCall(PetscFree(from));
  PetscFunctionReturn(0);
}
