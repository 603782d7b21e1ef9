/* Capacities of one agent: explicit (number, list of K, 'arrivals') or from
   an LLMPerf provider times replicas, then an optional capacity_profile. */
#include "scenario/scenario_impl.h"

#include <string.h>

/* {arrivals: TENANT}: the arrivals of one tenant's demand trace. */
static PetscErrorCode ParseTenantArrivals(WalrasYAMLNode value, const WalrasScenario *sc,
                                          PetscReal cap[])
{
  const char    *key, *name;
  WalrasYAMLNode tenant;
  PetscInt       n, h;
  WalrasWhere    where = WalrasWhereOfNode(value);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapSize(value, &n));
  if (n == 1) PetscCall(WalrasYAMLMapEntry(value, 0, &key, &tenant));
  WalrasWhereCheck(n == 1 && !strcmp(key, "arrivals"), &where, "%s",
                   "expected a number, a list or {arrivals: TENANT}, got another mapping");
  PetscCall(WalrasYAMLGetString(tenant, &name));
  h     = sc->H > 1 ? WalrasScenarioFindTenant(sc, name) : -1;
  where = WalrasWhereOfNode(tenant);
  WalrasWhereCheck(h >= 0, &where, "expected the name of a tenant (orchestrator.tenants), got '%s'",
                   name);
  WalrasWhereCheck(sc->tenants[h].arrivals, &where,
                   "expected a tenant whose demand has a trace, got '%s', whose demand has "
                   "explicit shares and no arrivals",
                   name);
  PetscCall(PetscArraycpy(cap, sc->tenants[h].arrivals, sc->K));
  PetscFunctionReturn(0);
}

/* One metric's capacity value: a number, a list of K numbers, 'arrivals' or
   (with tenants) {arrivals: TENANT}. */
static PetscErrorCode ParseOne(WalrasYAMLNode value, const WalrasScenario *sc, PetscReal cap[])
{
  WalrasWhere where = WalrasWhereOfNode(value);

  PetscFunctionBegin;
  if (WalrasYAMLKindOf(value) == WALRAS_YAML_MAPPING) {
    PetscCall(ParseTenantArrivals(value, sc, cap));
    PetscFunctionReturn(0);
  }
  if (WalrasYAMLKindOf(value) == WALRAS_YAML_SEQUENCE) {
    PetscReal *list;

    PetscCall(WalrasYAMLGetRealArray(value, sc->K, &list, NULL));
    PetscCall(PetscArraycpy(cap, list, sc->K));
    PetscCall(PetscFree(list));
    PetscCall(WalrasRuleCapacity(&where, sc->K, cap));
  } else {
    const char *text;
    PetscReal   c;

    PetscCall(WalrasYAMLGetString(value, &text));
    if (!strcmp(text, "arrivals")) {
      WalrasWhereCheck(sc->H < 2, &where, "%s",
                       "expected {arrivals: TENANT} with several tenants, got 'arrivals' "
                       "(whose arrivals?)");
      WalrasWhereCheck(sc->arrivals, &where, "%s",
                       "expected a number or a list, got 'arrivals' but the demand has no "
                       "trace to take arrivals from");
      PetscCall(PetscArraycpy(cap, sc->arrivals, sc->K));
      PetscFunctionReturn(0);
    }
    PetscCall(WalrasYAMLGetReal(value, &c));
    WalrasWhereCheck(c >= 0, &where, "expected a capacity >= 0, got %.10g", (double)c);
    for (PetscInt k = 0; k < sc->K; k++) cap[k] = c;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseExplicit(WalrasYAMLNode capacity, const WalrasScenario *sc,
                                    WalrasAgentSpec *agent, WalrasWhere *cap_where)
{
  PetscInt n;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapSize(capacity, &n));
  for (PetscInt i = 0; i < n; i++) {
    const char    *metric;
    WalrasYAMLNode value;
    PetscInt       r;
    WalrasWhere    where = WalrasWhereOfNode(capacity);

    PetscCall(WalrasYAMLMapEntry(capacity, i, &metric, &value));
    r          = WalrasScenarioFindMetric(sc, metric);
    where.line = WalrasYAMLLine(value);
    WalrasWhereCheck(r >= 0, &where, "expected a metric of the scenario, got '%s'", metric);
    cap_where[r] = WalrasWhereOfNode(value);
    PetscCall(ParseOne(value, sc, agent->cap + r * sc->K));
  }
  PetscFunctionReturn(0);
}

/* Per replica: prefill and decode rates of LLMPerf times the requests it kept
   in flight (docs/scenario.md). */
static PetscErrorCode ParseProvider(WalrasYAMLNode agent_node, WalrasYAMLNode provider,
                                    WalrasYAMLNode providers, const WalrasScenario *sc,
                                    WalrasAgentSpec *agent, WalrasWhere *cap_where)
{
  WalrasYAMLNode replicas, entry, file;
  const char    *name;
  PetscReal      n_replicas = 1;
  PetscInt       prefill    = WalrasScenarioFindMetric(sc, "prefill");
  PetscInt       decode     = WalrasScenarioFindMetric(sc, "decode");
  char           path[PETSC_MAX_PATH_LEN];
  WalrasProvider measured;
  WalrasWhere    where = WalrasWhereOfNode(provider);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(provider, &name));
  WalrasWhereCheck(WalrasYAMLPresent(providers), &where,
                   "expected a provider listed under 'providers', got '%s' but the scenario "
                   "lists none",
                   name);
  PetscCall(WalrasYAMLMapGet(providers, name, PETSC_FALSE, &entry));
  WalrasWhereCheck(WalrasYAMLPresent(entry), &where,
                   "expected a provider listed under 'providers', got '%s'", name);
  WalrasWhereCheck(prefill >= 0 && decode >= 0, &where, "%s",
                   "a provider sets the capacities of metrics 'prefill' and 'decode', so "
                   "expected the scenario's metrics to name both");
  PetscCall(WalrasYAMLMapGet(entry, "llmperf", PETSC_TRUE, &file));
  PetscCall(WalrasScenarioDataPath(file, path, sizeof(path)));
  PetscCall(WalrasProviderLoadLLMPerf(path, &measured));

  PetscCall(WalrasYAMLMapGet(agent_node, "replicas", PETSC_FALSE, &replicas));
  if (WalrasYAMLPresent(replicas)) {
    PetscCall(WalrasYAMLGetReal(replicas, &n_replicas));
    where = WalrasWhereOfNode(replicas);
    WalrasWhereCheck(n_replicas > 0, &where, "expected replicas > 0, got %.10g",
                     (double)n_replicas);
  }
  for (PetscInt k = 0; k < sc->K; k++) {
    agent->cap[prefill * sc->K + k] = n_replicas * measured.concurrency * measured.prefill_tps;
    agent->cap[decode * sc->K + k]  = n_replicas * measured.concurrency * measured.decode_tps;
  }
  cap_where[prefill] = cap_where[decode] = WalrasWhereOfNode(provider);
  where                                  = WalrasWhereOfNode(provider);
  PetscCall(WalrasRuleCapacity(&where, sc->K, agent->cap + prefill * sc->K));
  PetscCall(WalrasRuleCapacity(&where, sc->K, agent->cap + decode * sc->K));
  PetscFunctionReturn(0);
}

/* Fills agent->cap [R*K] (0 for metrics left out) and cap_where [R]. */
PetscErrorCode WalrasScenarioParseCapacity(WalrasYAMLNode agent_node, WalrasYAMLNode providers,
                                           const WalrasScenario *sc, WalrasAgentSpec *agent,
                                           WalrasWhere *cap_where)
{
  WalrasYAMLNode capacity, provider, replicas, profile;
  WalrasWhere    where = WalrasWhereOfNode(agent_node);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(agent_node, "capacity", PETSC_FALSE, &capacity));
  PetscCall(WalrasYAMLMapGet(agent_node, "provider", PETSC_FALSE, &provider));
  PetscCall(WalrasYAMLMapGet(agent_node, "replicas", PETSC_FALSE, &replicas));
  WalrasWhereCheck(WalrasYAMLPresent(capacity) != WalrasYAMLPresent(provider), &where, "%s",
                   WalrasYAMLPresent(capacity) ? "expected capacity or provider, got both"
                                               : "expected capacity or provider, got neither");
  where = WalrasWhereOfNode(replicas);
  WalrasWhereCheck(!WalrasYAMLPresent(replicas) || WalrasYAMLPresent(provider), &where, "%s",
                   "expected replicas only with a provider, got no provider");
  PetscCall(PetscCalloc1(sc->R * sc->K, &agent->cap));
  /* A metric left out has capacity 0: messages about it point at the mapping. */
  for (PetscInt r = 0; r < sc->R; r++)
    cap_where[r] = WalrasWhereOfNode(WalrasYAMLPresent(capacity) ? capacity : agent_node);
  if (WalrasYAMLPresent(capacity))
    PetscCall(ParseExplicit(capacity, sc, agent, cap_where));
  else
    PetscCall(ParseProvider(agent_node, provider, providers, sc, agent, cap_where));

  /* The profile scales every metric: maintenance windows, autoscaling. */
  PetscCall(WalrasYAMLMapGet(agent_node, "capacity_profile", PETSC_FALSE, &profile));
  if (WalrasYAMLPresent(profile)) {
    PetscReal *m;

    PetscReal bad   = 1;
    PetscInt  k_bad = -1;

    PetscCall(WalrasYAMLGetRealArray(profile, sc->K, &m, NULL));
    for (PetscInt k = 0; k < sc->K; k++) {
      if (!(m[k] > 0) && k_bad < 0) k_bad = k, bad = m[k];
      for (PetscInt r = 0; r < sc->R; r++) agent->cap[r * sc->K + k] *= m[k];
    }
    PetscCall(PetscFree(m));
    where = WalrasWhereOfNode(profile);
    WalrasWhereCheck(k_bad < 0, &where,
                     "expected multipliers > 0, got %.10g in interval %" PetscInt_FMT, (double)bad,
                     k_bad);
  }
  PetscFunctionReturn(0);
}
