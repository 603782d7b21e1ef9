/* Scenario ("natural") ordering of the distributed vectors. */

#include "core/economyimpl.h"

PetscErrorCode WalrasEconomyCreateNatural(WalrasEconomy ec, Vec *natural, VecScatter *to_natural)
{
  PetscInt *from, *to;
  IS        is_from, is_to;

  PetscFunctionBegin;
  PetscCall(VecCreate(ec->comm, natural));
  PetscCall(VecSetSizes(*natural, PETSC_DECIDE, ec->A * ec->bs));
  PetscCall(VecSetBlockSize(*natural, ec->bs));
  PetscCall(VecSetFromOptions(*natural));

  /* Agent i of this rank is agent scenario_index[i] of the file.  Whole
     agents move, so the index sets hold one block of bs goods per agent:
     indices per good (16 bytes per good, and a scatter graph as large)
     would make the output, not the solve, the peak memory of a run. */
  PetscCall(PetscMalloc2(ec->nlocal + 1, &from, ec->nlocal + 1, &to));
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    from[i] = ec->astart + i;
    to[i]   = ec->scenario_index[i];
  }
  PetscCall(ISCreateBlock(ec->comm, ec->bs, ec->nlocal, from, PETSC_USE_POINTER, &is_from));
  PetscCall(ISCreateBlock(ec->comm, ec->bs, ec->nlocal, to, PETSC_USE_POINTER, &is_to));
  PetscCall(VecScatterCreate(ec->y, is_from, *natural, is_to, to_natural));
  PetscCall(ISDestroy(&is_from));
  PetscCall(ISDestroy(&is_to));
  PetscCall(PetscFree2(from, to));
  PetscFunctionReturn(0);
}
