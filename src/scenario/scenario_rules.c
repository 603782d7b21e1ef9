/* The value rules of docs/scenario.md, shared by WalrasScenarioLoad (with
   file and line) and WalrasScenarioValidate (scenarios built in memory). */
#include "scenario/scenario_impl.h"

#include <math.h>

/* Sums of K lengths must match T up to rounding of the decimal input. */
#define WALRAS_SUM_RTOL 1e-9

PetscErrorCode WalrasRuleHorizon(const WalrasWhere *where, PetscReal T, PetscInt K,
                                 const PetscReal dt[])
{
  PetscReal sum = 0;

  PetscFunctionBegin;
  WalrasWhereCheck(isfinite(T) && T > 0, where, "expected a horizon T > 0, got %.10g", (double)T);
  WalrasWhereCheck(K >= 1, where, "expected K >= 1 intervals, got %" PetscInt_FMT, K);
  for (PetscInt k = 0; k < K; k++) {
    WalrasWhereCheck(isfinite(dt[k]) && dt[k] > 0, where,
                     "expected interval lengths dt > 0, got %.10g for interval %" PetscInt_FMT,
                     (double)dt[k], k);
    sum += dt[k];
  }
  WalrasWhereCheck(PetscAbsReal(sum - T) <= WALRAS_SUM_RTOL * T, where,
                   "expected interval lengths dt that sum to T = %.10g, got sum %.10g", (double)T,
                   (double)sum);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleSigma(const WalrasWhere *where, PetscReal sigma)
{
  PetscFunctionBegin;
  WalrasWhereCheck(isfinite(sigma) && sigma > 0, where,
                   "expected a routing elasticity sigma > 0, got %.10g", (double)sigma);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleGamma(const WalrasWhere *where, PetscReal gamma)
{
  PetscFunctionBegin;
  WalrasWhereCheck(isfinite(gamma) && gamma > 1, where,
                   "expected a frontier curvature gamma > 1, got %.10g", (double)gamma);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleCapacity(const WalrasWhere *where, PetscInt K, const PetscReal cap[])
{
  PetscFunctionBegin;
  for (PetscInt k = 0; k < K; k++)
    WalrasWhereCheck(isfinite(cap[k]) && cap[k] >= 0, where,
                     "expected capacities >= 0, got %.10g in interval %" PetscInt_FMT,
                     (double)cap[k], k);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleRequire(const WalrasWhere *where, PetscInt R, const PetscReal d[])
{
  PetscBool any = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt r = 0; r < R; r++) {
    WalrasWhereCheck(isfinite(d[r]) && d[r] >= 0, where,
                     "expected requirements >= 0, got %.10g for metric %" PetscInt_FMT,
                     (double)d[r], r);
    if (d[r] > 0) any = PETSC_TRUE;
  }
  WalrasWhereCheck(any, where, "%s",
                   "expected a requirement above 0 for some metric, got all zero "
                   "(such an agent would be free to use)");
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleRequiredCapacity(const WalrasWhere *where, const WalrasScenario *sc,
                                          const WalrasAgentSpec *agent, PetscInt r)
{
  const PetscReal *cap = agent->cap + r * sc->K;

  PetscFunctionBegin;
  if (!(agent->require[r] > 0)) PetscFunctionReturn(0);
  /* With tenants an interval has demand at an agent when a tenant that
     reaches it has demand then: checked with the edges
     (WalrasScenarioCheckTenantCapacity). */
  if (sc->H > 1) PetscFunctionReturn(0);
  /* Without demand (s[k] = 0) no task passes in interval k, so a capacity of
     0 there is fine: an idle interval of a bursty trace. */
  for (PetscInt k = 0; k < sc->K; k++)
    WalrasWhereCheck(cap[k] > 0 || !(sc->shares[k] > 0), where,
                     "agent '%s' requires %s, so expected its %s capacity > 0 in every interval "
                     "with demand, got 0 in interval %" PetscInt_FMT,
                     agent->name, sc->metrics[r], sc->metrics[r], k);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRuleShares(const WalrasWhere *where, PetscInt K, const PetscReal s[])
{
  PetscReal sum = 0;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < K; k++) {
    WalrasWhereCheck(isfinite(s[k]) && s[k] >= 0, where,
                     "expected shares >= 0, got %.10g in interval %" PetscInt_FMT, (double)s[k], k);
    sum += s[k];
  }
  WalrasWhereCheck(PetscAbsReal(sum - 1) <= WALRAS_SUM_RTOL, where,
                   "expected shares that sum to 1, got sum %.10g", (double)sum);
  PetscFunctionReturn(0);
}
