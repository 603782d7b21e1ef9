/* WalrasScenarioLoad: a scenario file (docs/scenario.md) -> WalrasScenario. */
#include "scenario/scenario_impl.h"

#include <string.h>

static const char *const top_keys[]          = {"walras",  "name",   "description",  "horizon",
                                                "metrics", "demand", "orchestrator", "providers",
                                                "agents",  "edges",  "arrays",       NULL};
static const char *const orchestrator_keys[] = {"sigma", "entry", "exit", "tenants", NULL};

/* The format version this code reads. */
#define WALRAS_SCENARIO_FORMAT 1

static PetscErrorCode ParseHeader(WalrasYAMLNode root, WalrasScenario *sc)
{
  WalrasYAMLNode version, name;
  PetscInt       v;
  const char    *text;
  WalrasWhere    where;

  PetscFunctionBegin;
  /* A classic economy (runs/classic/) opens with 'kind: classic'. */
  PetscCall(WalrasYAMLMapGet(root, "kind", PETSC_FALSE, &name));
  if (WalrasYAMLPresent(name)) {
    where = WalrasWhereOfNode(name);
    WalrasWhereCheck(PETSC_FALSE, &where, "%s",
                     "expected an agent scenario, got a classic economy ('kind' is a key of "
                     "runs/classic/ files): run it with 'walras classic'");
  }
  PetscCall(WalrasYAMLMapCheckKeys(root, top_keys));
  PetscCall(WalrasYAMLMapGet(root, "walras", PETSC_TRUE, &version));
  PetscCall(WalrasYAMLGetInt(version, &v));
  where = WalrasWhereOfNode(version);
  WalrasWhereCheck(v == WALRAS_SCENARIO_FORMAT, &where,
                   "expected format version %d, got %" PetscInt_FMT, WALRAS_SCENARIO_FORMAT, v);
  PetscCall(WalrasYAMLMapGet(root, "name", PETSC_TRUE, &name));
  PetscCall(WalrasYAMLGetString(name, &text));
  PetscCall(PetscStrallocpy(text, &sc->name));
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseSigma(WalrasYAMLNode orchestrator, WalrasScenario *sc,
                                 WalrasScenarioSource *src)
{
  WalrasYAMLNode sigma;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(orchestrator, orchestrator_keys));
  PetscCall(WalrasYAMLMapGet(orchestrator, "sigma", PETSC_TRUE, &sigma));
  PetscCall(WalrasYAMLGetReal(sigma, &sc->sigma));
  src->sigma = WalrasWhereOfNode(sigma);
  PetscCall(WalrasRuleSigma(&src->sigma, sc->sigma));
  PetscFunctionReturn(0);
}

/* A scenario whose agents, edges and shares are in an HDF5 file: the YAML
   keeps the horizon, metrics and sigma, and may not list agents, edges,
   providers or a demand. */
static PetscErrorCode ParseWithArrays(WalrasYAMLNode root, WalrasYAMLNode arrays,
                                      WalrasScenario *sc, WalrasScenarioSource *src)
{
  static const char *const excluded[] = {"demand", "providers", "agents", "edges"};
  WalrasYAMLNode           node, orchestrator;

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++) {
    PetscCall(WalrasYAMLMapGet(root, excluded[i], PETSC_FALSE, &node));
    if (WalrasYAMLPresent(node)) {
      WalrasWhere where = WalrasWhereOfNode(node);

      WalrasWhereCheck(PETSC_FALSE, &where,
                       "expected no '%s' with 'arrays' (the arrays file holds them), got one",
                       excluded[i]);
    }
  }
  PetscCall(WalrasYAMLMapGet(root, "orchestrator", PETSC_TRUE, &orchestrator));
  PetscCall(ParseSigma(orchestrator, sc, src));
  for (int i = 0; i < 3; i++) {
    const char *key = i == 2 ? "tenants" : i ? "exit" : "entry";

    PetscCall(WalrasYAMLMapGet(orchestrator, key, PETSC_FALSE, &node));
    if (WalrasYAMLPresent(node)) {
      WalrasWhere where = WalrasWhereOfNode(node);

      WalrasWhereCheck(PETSC_FALSE, &where,
                       "expected no '%s' with 'arrays' (entries are in the arrays file, exits are "
                       "the sinks, one orchestrator), got one",
                       key);
    }
  }
  /* The reader checks the DAG itself, slice by slice. */
  PetscCall(WalrasScenarioParseArrays(arrays, sc));
  PetscFunctionReturn(0);
}

/* The demand: top-level 'demand' for one orchestrator, or each tenant's
   own under orchestrator.tenants (then neither 'demand' nor
   orchestrator.entry may be given: each tenant names its entries). */
static PetscErrorCode ParseDemands(WalrasYAMLNode root, WalrasYAMLNode orchestrator,
                                   WalrasScenario *sc)
{
  WalrasYAMLNode tenants, demand, entry;
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(orchestrator, "tenants", PETSC_FALSE, &tenants));
  if (!WalrasYAMLPresent(tenants)) {
    PetscCall(WalrasYAMLMapGet(root, "demand", PETSC_TRUE, &demand));
    PetscCall(WalrasScenarioParseDemand(demand, sc));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasYAMLMapGet(root, "demand", PETSC_FALSE, &demand));
  where = WalrasWhereOfNode(demand);
  WalrasWhereCheck(!WalrasYAMLPresent(demand), &where, "%s",
                   "expected no top-level demand with orchestrator.tenants (each tenant has "
                   "its own), got one");
  PetscCall(WalrasYAMLMapGet(orchestrator, "entry", PETSC_FALSE, &entry));
  where = WalrasWhereOfNode(entry);
  WalrasWhereCheck(!WalrasYAMLPresent(entry), &where, "%s",
                   "expected no orchestrator.entry with tenants (each tenant has its own), "
                   "got one");
  PetscCall(WalrasScenarioParseTenants(tenants, sc));
  PetscFunctionReturn(0);
}

/* Parts in the order later ones need them: the horizon before the demand
   (binning), the demand before the agents ('arrivals'), agents before edges. */
static PetscErrorCode Parse(WalrasYAML doc, WalrasScenario *sc, WalrasScenarioSource *src)
{
  WalrasYAMLNode root = WalrasYAMLRoot(doc), node, orchestrator, providers, edges, arrays;

  PetscFunctionBegin;
  PetscCall(ParseHeader(root, sc));
  PetscCall(WalrasYAMLMapGet(root, "horizon", PETSC_TRUE, &node));
  src->horizon = WalrasWhereOfNode(node);
  PetscCall(WalrasScenarioParseHorizon(node, sc));
  PetscCall(WalrasYAMLMapGet(root, "metrics", PETSC_TRUE, &node));
  PetscCall(WalrasScenarioParseMetrics(node, sc));
  PetscCall(WalrasYAMLMapGet(root, "arrays", PETSC_FALSE, &arrays));
  if (WalrasYAMLPresent(arrays)) {
    PetscCall(ParseWithArrays(root, arrays, sc, src));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasYAMLMapGet(root, "orchestrator", PETSC_TRUE, &orchestrator));
  PetscCall(ParseSigma(orchestrator, sc, src));
  PetscCall(ParseDemands(root, orchestrator, sc));
  PetscCall(WalrasYAMLMapGet(root, "providers", PETSC_FALSE, &providers));
  PetscCall(WalrasYAMLMapGet(root, "agents", PETSC_TRUE, &node));
  PetscCall(WalrasScenarioParseAgents(node, providers, sc, src));
  PetscCall(WalrasYAMLMapGet(root, "edges", PETSC_FALSE, &edges));
  PetscCall(WalrasScenarioParseEdges(edges, orchestrator, sc, src));
  PetscCall(WalrasScenarioCheckDAG(sc, src));
  if (sc->H > 1) PetscCall(WalrasScenarioCheckTenantCapacity(sc, src));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioLoad(const char *path, WalrasScenario **scenario)
{
  WalrasScenario      *sc;
  WalrasScenarioSource src;
  WalrasYAML           doc;
  char                *text;
  PetscErrorCode       ierr;

  PetscFunctionBegin;
  *scenario = NULL;
  PetscCall(WalrasReadTextFile(path, "the scenario file", &text, NULL));
  ierr = WalrasYAMLLoadString(path, text, &doc);
  if (ierr) PetscCall(PetscFree(text));
  PetscCall(ierr);

  /* On failure free what was built, so that a bad file leaks nothing. */
  PetscCall(PetscNew(&sc));
  PetscCall(PetscMemzero(&src, sizeof(src)));
  PetscCall(PetscStrallocpy(path, &sc->path));
  sc->text = text;
  ierr     = Parse(doc, sc, &src);
  PetscCall(WalrasScenarioSourceDestroy(&src));
  PetscCall(WalrasYAMLDestroy(&doc));
  if (ierr) PetscCall(WalrasScenarioDestroy(&sc));
  PetscCall(ierr);
  *scenario = sc;
  PetscFunctionReturn(0);
}
