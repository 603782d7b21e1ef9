/* agents: the firms of the scenario, in file order. */
#include "scenario/scenario_impl.h"

#include <string.h>

static const char *const agent_keys[] = {
    "name",    "kind", "gamma", "provider", "replicas", "capacity", "capacity_profile",
    "require", NULL};

/* Frontier agents without gamma get this curvature (docs/scenario.md). */
#define WALRAS_DEFAULT_GAMMA 2.0

static PetscErrorCode ParseKind(WalrasYAMLNode node, WalrasAgentSpec *agent)
{
  WalrasYAMLNode kind, gamma;
  const char    *text = "frontier";
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(node, "kind", PETSC_FALSE, &kind));
  if (WalrasYAMLPresent(kind)) PetscCall(WalrasYAMLGetString(kind, &text));
  where = WalrasWhereOfNode(kind);
  if (!strcmp(text, WalrasFirmKinds[WALRAS_FIRM_FRONTIER]))
    agent->kind = WALRAS_FIRM_FRONTIER;
  else if (!strcmp(text, WalrasFirmKinds[WALRAS_FIRM_CAPACITY]))
    agent->kind = WALRAS_FIRM_CAPACITY;
  else
    WalrasWhereCheck(PETSC_FALSE, &where, "expected frontier or capacity, got '%s'", text);

  PetscCall(WalrasYAMLMapGet(node, "gamma", PETSC_FALSE, &gamma));
  where = WalrasWhereOfNode(gamma);
  if (agent->kind == WALRAS_FIRM_CAPACITY) {
    WalrasWhereCheck(!WalrasYAMLPresent(gamma), &where, "%s",
                     "expected no gamma for a capacity agent (gamma shapes a frontier)");
    agent->gamma = 0;
  } else if (WalrasYAMLPresent(gamma)) {
    PetscCall(WalrasYAMLGetReal(gamma, &agent->gamma));
    PetscCall(WalrasRuleGamma(&where, agent->gamma));
  } else
    agent->gamma = WALRAS_DEFAULT_GAMMA;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseRequire(WalrasYAMLNode node, const WalrasScenario *sc,
                                   WalrasAgentSpec *agent)
{
  WalrasYAMLNode require;
  PetscInt       n;
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(node, "require", PETSC_TRUE, &require));
  PetscCall(WalrasYAMLMapSize(require, &n));
  PetscCall(PetscCalloc1(sc->R, &agent->require));
  for (PetscInt i = 0; i < n; i++) {
    const char    *metric;
    WalrasYAMLNode value;
    PetscInt       r;

    PetscCall(WalrasYAMLMapEntry(require, i, &metric, &value));
    r          = WalrasScenarioFindMetric(sc, metric);
    where      = WalrasWhereOfNode(require);
    where.line = WalrasYAMLLine(value);
    WalrasWhereCheck(r >= 0, &where, "expected a metric of the scenario, got '%s'", metric);
    PetscCall(WalrasYAMLGetReal(value, &agent->require[r]));
    where = WalrasWhereOfNode(value);
    WalrasWhereCheck(agent->require[r] >= 0, &where, "expected a requirement >= 0, got %.10g",
                     (double)agent->require[r]);
  }
  where = WalrasWhereOfNode(require);
  PetscCall(WalrasRuleRequire(&where, sc->R, agent->require));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseAgent(WalrasYAMLNode node, WalrasYAMLNode providers, PetscInt a,
                                 WalrasScenario *sc, WalrasScenarioSource *src)
{
  WalrasAgentSpec *agent = &sc->agents[a];
  WalrasYAMLNode   name;
  const char      *text;
  PetscInt         other;
  WalrasWhere      where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(node, agent_keys));
  agent->line   = WalrasYAMLLine(node);
  src->agent[a] = WalrasWhereOfNode(node);
  PetscCall(WalrasYAMLMapGet(node, "name", PETSC_TRUE, &name));
  PetscCall(WalrasYAMLGetString(name, &text));
  where = WalrasWhereOfNode(name);
  WalrasWhereCheck(text[0], &where, "expected an agent name, got %s", "an empty string");
  other = WalrasScenarioFindAgent(sc, text);
  WalrasWhereCheck(other < 0, &where,
                   "expected unique agent names, got '%s' twice (first at line %d)", text,
                   other >= 0 ? sc->agents[other].line : 0);
  PetscCall(PetscStrallocpy(text, &agent->name));

  PetscCall(ParseKind(node, agent));
  PetscCall(ParseRequire(node, sc, agent));
  PetscCall(WalrasScenarioParseCapacity(node, providers, sc, agent, src->capacity + a * sc->R));
  for (PetscInt r = 0; r < sc->R; r++)
    PetscCall(WalrasRuleRequiredCapacity(&src->capacity[a * sc->R + r], sc, agent, r));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseAgents(WalrasYAMLNode agents, WalrasYAMLNode providers,
                                         WalrasScenario *sc, WalrasScenarioSource *src)
{
  PetscInt    n;
  WalrasWhere where = WalrasWhereOfNode(agents);

  PetscFunctionBegin;
  if (WalrasYAMLPresent(providers)) {
    PetscInt n_providers;

    /* Every provider must at least name a measurement, used or not. */
    PetscCall(WalrasYAMLMapSize(providers, &n_providers));
    for (PetscInt i = 0; i < n_providers; i++) {
      static const char *const keys[] = {"llmperf", NULL};
      const char              *pname;
      WalrasYAMLNode           entry, file;

      PetscCall(WalrasYAMLMapEntry(providers, i, &pname, &entry));
      PetscCall(WalrasYAMLMapCheckKeys(entry, keys));
      PetscCall(WalrasYAMLMapGet(entry, "llmperf", PETSC_TRUE, &file));
    }
  }
  PetscCall(WalrasYAMLSeqLength(agents, &n));
  WalrasWhereCheck(n >= 1, &where, "expected a list of at least one agent, got %s",
                   "an empty list");
  PetscCall(PetscCalloc1(n, &sc->agents));
  PetscCall(PetscCalloc1(n, &src->agent));
  PetscCall(PetscCalloc1(n * sc->R, &src->capacity));
  for (PetscInt a = 0; a < n; a++) {
    WalrasYAMLNode node;

    PetscCall(WalrasYAMLSeqItem(agents, a, &node));
    sc->A = a + 1; /* so that a failure frees what this agent holds */
    PetscCall(ParseAgent(node, providers, a, sc, src));
  }
  PetscFunctionReturn(0);
}
