#pragma once

/* A market: what a price solver needs to know about an economy.

   Both the distributed agent economy (economy.h) and the classic economies
   over plain goods (classic.h) present themselves as a WalrasMarket, so the
   tâtonnement and the Newton-type solvers (solver.h) run on either. */

#include <walras/sys.h>
#include <petscmat.h>

typedef struct {
  void *ctx;

  /* Layout of the price vector (every Vec passed below has it). */
  Vec layout;

  /* Inner-product weights w > 0, <u, v>_w = sum_g w_g u_g v_g, as a pattern
     rather than a Vec (8 bytes per good saved): the weight of the good with
     global index g is weight[g % weight_period].  Agent goods: dt[k], period
     K, since every agent's block of R*K goods starts at a multiple of K;
     plain goods: period 1, weight {1}.  Borrowed: valid while the market
     is. */
  const PetscReal *weight;
  PetscInt         weight_period;

  /* Collective.  At prices p >= 0 computes the excess demand
     z = x - y - omega, a per-good scale s = x + y + omega >= 0 (for the
     relative steps and the natural residual of MODEL.md section 4), and
     *demand_value = <p, x> (Walras' law is checked relative to it).
     Any output may be NULL when not wanted. */
  PetscErrorCode (*evaluate)(void *ctx, Vec p, Vec z, Vec scale, PetscReal *demand_value);

  /* Not collective.  A person-readable name of global good i
     (e.g. "Coding/decode/k=12"). */
  PetscErrorCode (*good_name)(void *ctx, PetscInt i, char *name, size_t len);

  /* Optional (NULL when the market has no derivatives).  Collective.  The
     directional derivative dz = z'(p) dp of the excess demand at p >= 0
     (a tangent sweep: exact, no finite differences).  p, dp, dz have the
     layout of the market; dz may not alias p or dp. */
  PetscErrorCode (*jacobian_action)(void *ctx, Vec p, Vec dp, Vec dz);

  /* Optional.  Collective.  Assembles the Jacobian at p >= 0 of the excess
     demand per unit of expenditure,

       zeta(p) = x(p) / <p, x(p)>_w - y(p) - omega,

     into *J.  The market creates *J on the first call (*J == NULL) with the
     layout of the market and its own nonzero pattern, and refills it on
     later calls; the caller destroys it.  zeta differs from z only in the
     scale of demand, so 0 <= p _|_ -zeta(p) >= 0 has the same solutions as
     the market's problem, normalised to <p, x>_w = 1 (docs/solvers.md).
     The agent economy's zeta' is block diagonal over the intervals: demand
     at a fixed income does not couple intervals. */
  PetscErrorCode (*jacobian_unit_income)(void *ctx, Vec p, Mat *J);
} WalrasMarket;

/* Not collective.  Steps through the weights of consecutive goods without a
   division per good (the solvers' loops run over every good each round):

     WalrasWeightCursor c = WalrasMarketWeights(market, start);
     for (i = 0; i < n; i++) { PetscReal w = WalrasWeightNext(&c); ... }

   gives w = the weight of global good start + i. */
typedef struct {
  const PetscReal *weight;
  PetscInt         period, j;
} WalrasWeightCursor;

static inline WalrasWeightCursor WalrasMarketWeights(const WalrasMarket *market, PetscInt start)
{
  WalrasWeightCursor c = {market->weight, market->weight_period, start % market->weight_period};

  return c;
}

static inline PetscReal WalrasWeightNext(WalrasWeightCursor *c)
{
  PetscReal w = c->weight[c->j];

  if (++c->j == c->period) c->j = 0;
  return w;
}

/* Collective on u.  <u, v>_w over the goods of the market, u and v of its
   layout; v = NULL stands for the vector of ones (<u, 1>_w, the
   normalisation of prices). */
PETSC_EXTERN PetscErrorCode WalrasMarketDot(const WalrasMarket *market, Vec u, Vec v,
                                            PetscReal *dot);

/* Not collective.  W = <1, 1>_w, the total weight of the market's goods
   (from the pattern and the global size, no pass over the goods). */
PETSC_EXTERN PetscErrorCode WalrasMarketTotalWeight(const WalrasMarket *market, PetscReal *W);
