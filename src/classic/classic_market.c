/* An exchange economy over plain goods presented as a WalrasMarket, so that
   the price solvers of solver.h (tâtonnement, Newton) run on it. */
#include <walras/classic.h>

typedef struct {
  WalrasClassic eco;
  VecScatter    gather; /* distributed prices -> a whole copy on every rank */
  Vec           all;
  PetscReal    *x, *z;
} ClassicMarket;

/* Every rank computes the whole (small) excess demand from a gathered copy
   of p and keeps its own rows, so the outputs are identical on every rank
   whatever the number of ranks. */
static PetscErrorCode ClassicMarketEvaluate(void *ctx, Vec p, Vec z, Vec scale,
                                            PetscReal *demand_value)
{
  ClassicMarket     *cm  = (ClassicMarket *)ctx;
  WalrasClassic      eco = cm->eco;
  const PetscScalar *pa;
  PetscInt           lo, hi;

  PetscFunctionBegin;
  PetscCall(VecScatterBegin(cm->gather, p, cm->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(cm->gather, p, cm->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(cm->all, &pa));
  PetscCall(WalrasClassicExcessDemand(eco, pa, NULL, cm->z, cm->x, NULL));
  if (demand_value) {
    *demand_value = 0;
    for (PetscInt g = 0; g < eco->n_goods; g++) *demand_value += pa[g] * cm->x[g];
  }
  PetscCall(VecRestoreArrayRead(cm->all, &pa));

  PetscCall(VecGetOwnershipRange(p, &lo, &hi));
  if (z) {
    PetscScalar *za;

    PetscCall(VecGetArray(z, &za));
    for (PetscInt g = lo; g < hi; g++) za[g - lo] = cm->z[g];
    PetscCall(VecRestoreArray(z, &za));
  }
  if (scale) {
    PetscScalar *sa;

    /* x + omega = 2 x - z */
    PetscCall(VecGetArray(scale, &sa));
    for (PetscInt g = lo; g < hi; g++) sa[g - lo] = 2 * cm->x[g] - cm->z[g];
    PetscCall(VecRestoreArray(scale, &sa));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ClassicMarketGoodName(void *ctx, PetscInt i, char *name, size_t len)
{
  ClassicMarket *cm = (ClassicMarket *)ctx;

  PetscFunctionBegin;
  PetscCheck(i >= 0 && i < cm->eco->n_goods, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "good %" PetscInt_FMT " out of range", i);
  PetscCall(PetscSNPrintf(name, len, "%s", cm->eco->good[i]));
  PetscFunctionReturn(0);
}

/* Plain goods all weigh 1 (market.h). */
static const PetscReal unit_weight = 1.0;

PetscErrorCode WalrasClassicMarketCreate(WalrasClassic eco, WalrasMarket *market)
{
  ClassicMarket *cm;

  PetscFunctionBegin;
  WalrasCheckInput(
      eco->n_activities == 0,
      "%s: a market of prices only needs an exchange economy, but this one has %" PetscInt_FMT
      " activities (use the complementarity solver of 'walras classic')",
      eco->path, eco->n_activities);
  PetscCall(PetscNew(&cm));
  cm->eco = eco;
  PetscCall(PetscMalloc2(eco->n_goods, &cm->x, eco->n_goods, &cm->z));
  PetscCall(PetscMemzero(market, sizeof(*market)));
  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, eco->n_goods, &market->layout));
  market->weight        = &unit_weight;
  market->weight_period = 1;
  PetscCall(VecScatterCreateToAll(market->layout, &cm->gather, &cm->all));
  market->ctx       = cm;
  market->evaluate  = ClassicMarketEvaluate;
  market->good_name = ClassicMarketGoodName;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicMarketDestroy(WalrasMarket *market)
{
  ClassicMarket *cm = (ClassicMarket *)market->ctx;

  PetscFunctionBegin;
  if (cm) {
    PetscCall(VecScatterDestroy(&cm->gather));
    PetscCall(VecDestroy(&cm->all));
    PetscCall(PetscFree2(cm->x, cm->z));
    PetscCall(PetscFree(cm));
  }
  PetscCall(VecDestroy(&market->layout));
  PetscCall(PetscMemzero(market, sizeof(*market)));
  PetscFunctionReturn(0);
}
