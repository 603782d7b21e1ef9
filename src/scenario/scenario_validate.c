/* WalrasScenarioValidate: the rules of WalrasScenarioLoad for a scenario
   built in memory.  Messages name the scenario and the key, without a line. */
#include "scenario/scenario_impl.h"

#include <string.h>

static const char *FileOf(const WalrasScenario *sc)
{
  return sc->path ? sc->path : sc->name;
}

static PetscErrorCode ValidateAgent(const WalrasScenario *sc, PetscInt a)
{
  const WalrasAgentSpec *agent = &sc->agents[a];
  const char            *file  = FileOf(sc);
  WalrasWhere            where = WalrasWhereOfKey(file, 0, "agents[%d]", (int)a);

  PetscFunctionBegin;
  WalrasWhereCheck(agent->name && agent->name[0], &where, "expected an agent name, got %s", "none");
  WalrasWhereCheck(WalrasScenarioFindAgent(sc, agent->name) == a, &where,
                   "expected unique agent names, got '%s' twice", agent->name);
  WalrasWhereCheck(agent->kind == WALRAS_FIRM_FRONTIER || agent->kind == WALRAS_FIRM_CAPACITY,
                   &where, "expected kind frontier or capacity, got %d", (int)agent->kind);
  where = WalrasWhereOfKey(file, 0, "agents[%d].gamma", (int)a);
  if (agent->kind == WALRAS_FIRM_FRONTIER) PetscCall(WalrasRuleGamma(&where, agent->gamma));
  where = WalrasWhereOfKey(file, 0, "agents[%d].require", (int)a);
  PetscCall(WalrasRuleRequire(&where, sc->R, agent->require));
  for (PetscInt r = 0; r < sc->R; r++) {
    where = WalrasWhereOfKey(file, 0, "agents[%d].capacity.%s", (int)a, sc->metrics[r]);
    PetscCall(WalrasRuleCapacity(&where, sc->K, agent->cap + r * sc->K));
    PetscCall(WalrasRuleRequiredCapacity(&where, sc, agent, r));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ValidateTenants(const WalrasScenario *sc)
{
  const char *file = FileOf(sc);
  PetscReal   sum  = 0.0;
  WalrasWhere where;

  PetscFunctionBegin;
  if (sc->H <= 1) PetscFunctionReturn(0);
  where = WalrasWhereOfKey(file, 0, "orchestrator.tenants");
  WalrasWhereCheck(sc->tenants, &where, "expected %" PetscInt_FMT " tenants, got none", sc->H);
  for (PetscInt h = 0; h < sc->H; h++) {
    const WalrasTenantSpec *t = &sc->tenants[h];

    where = WalrasWhereOfKey(file, 0, "orchestrator.tenants[%d]", (int)h);
    WalrasWhereCheck(t->name && t->name[0] && t->shares, &where, "%s",
                     "expected a tenant with a name and shares");
    WalrasWhereCheck(t->firm_share > 0, &where, "expected a firm share > 0, got %.10g",
                     (double)t->firm_share);
    {
      PetscInt n_entry = 0;

      for (PetscInt e = 0; e < sc->E; e++) n_entry += sc->edges && sc->edges[e].from == -1 - h;
      WalrasWhereCheck(n_entry > 0, &where, "%s",
                       "expected at least one entry edge (from = -1 - h) for the tenant, got none");
    }
    sum += t->firm_share;
    PetscCall(WalrasRuleShares(&where, sc->K, t->shares));
    if (t->arrivals) PetscCall(WalrasRuleCapacity(&where, sc->K, t->arrivals));
  }
  where = WalrasWhereOfKey(file, 0, "orchestrator.tenants");
  WalrasWhereCheck(PetscAbsReal(sum - 1.0) <= WALRAS_FIRM_SHARE_TOL, &where,
                   "expected the tenants' firm shares to sum to 1, got %.15g", (double)sum);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioValidate(const WalrasScenario *sc)
{
  const char *file = FileOf(sc);
  WalrasWhere where;

  PetscFunctionBegin;
  where = WalrasWhereOfKey(file, 0, "horizon");
  WalrasWhereCheck(sc->K >= 1 && sc->dt, &where, "expected K >= 1 intervals, got %" PetscInt_FMT,
                   sc->K);
  PetscCall(WalrasRuleHorizon(&where, sc->T, sc->K, sc->dt));
  where = WalrasWhereOfKey(file, 0, "metrics");
  WalrasWhereCheck(sc->R >= 1 && sc->metrics, &where,
                   "expected at least one metric, got %" PetscInt_FMT, sc->R);
  for (PetscInt r = 0; r < sc->R; r++)
    WalrasWhereCheck(sc->metrics[r] && WalrasScenarioFindMetric(sc, sc->metrics[r]) == r, &where,
                     "expected unique metric names, got '%s' twice",
                     sc->metrics[r] ? sc->metrics[r] : "(none)");
  where = WalrasWhereOfKey(file, 0, "demand.shares");
  WalrasWhereCheck(sc->shares, &where, "expected %" PetscInt_FMT " shares, got none", sc->K);
  PetscCall(WalrasRuleShares(&where, sc->K, sc->shares));
  where = WalrasWhereOfKey(file, 0, "demand.arrivals");
  if (sc->arrivals) PetscCall(WalrasRuleCapacity(&where, sc->K, sc->arrivals));
  PetscCall(ValidateTenants(sc));
  where = WalrasWhereOfKey(file, 0, "sigma");
  PetscCall(WalrasRuleSigma(&where, sc->sigma));

  where = WalrasWhereOfKey(file, 0, "agents");
  WalrasWhereCheck(sc->A >= 1 && sc->agents, &where,
                   "expected at least one agent, got %" PetscInt_FMT, sc->A);
  for (PetscInt a = 0; a < sc->A; a++) PetscCall(ValidateAgent(sc, a));
  where = WalrasWhereOfKey(file, 0, "edges");
  WalrasWhereCheck(sc->E == 0 || sc->edges, &where, "expected %" PetscInt_FMT " edges, got none",
                   sc->E);
  PetscCall(WalrasScenarioCheckDAG(sc, NULL));
  if (sc->H > 1) PetscCall(WalrasScenarioCheckTenantCapacity(sc, NULL));
  PetscFunctionReturn(0);
}
