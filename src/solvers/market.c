/* What every market shares: the inner product of its weight pattern
   (market.h). */
#include <walras/market.h>

PetscErrorCode WalrasMarketDot(const WalrasMarket *market, Vec u, Vec v, PetscReal *dot)
{
  MPI_Comm           comm;
  const PetscReal   *ua, *va = NULL;
  PetscReal          local = 0.0;
  PetscInt           n, start;
  WalrasWeightCursor c;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)u, &comm));
  PetscCall(VecGetLocalSize(u, &n));
  PetscCall(VecGetOwnershipRange(u, &start, NULL));
  c = WalrasMarketWeights(market, start);
  PetscCall(VecGetArrayRead(u, &ua));
  if (v) PetscCall(VecGetArrayRead(v, &va));
  for (PetscInt i = 0; i < n; i++) local += WalrasWeightNext(&c) * ua[i] * (va ? va[i] : 1.0);
  if (v) PetscCall(VecRestoreArrayRead(v, &va));
  PetscCall(VecRestoreArrayRead(u, &ua));
  PetscCall(MPIU_Allreduce(&local, dot, 1, MPIU_REAL, MPIU_SUM, comm));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasMarketTotalWeight(const WalrasMarket *market, PetscReal *W)
{
  PetscInt  N, P = market->weight_period;
  PetscReal period_sum = 0.0, rest = 0.0;

  PetscFunctionBegin;
  PetscCall(VecGetSize(market->layout, &N));
  for (PetscInt j = 0; j < P; j++) {
    period_sum += market->weight[j];
    if (j < N % P) rest += market->weight[j];
  }
  *W = (PetscReal)(N / P) * period_sum + rest;
  PetscFunctionReturn(0);
}
