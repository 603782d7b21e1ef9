#pragma once

/* Private to src/scenario: the pieces of WalrasScenarioLoad and the rules it
   shares with WalrasScenarioValidate.

   Every rule takes a WalrasWhere, so that the same check names
   "file:line: 'key'" when the value came from a YAML file and
   "name: 'key'" when the scenario was built in memory. */

#include <walras/scenario.h>
#include <walras/yaml.h>
#include <walras/loaders.h>

/* The most intervals horizon.K may ask for: every good of every agent has K
   of them, so a K past this would only end in a failed allocation (ten
   million intervals are 80 MB per metric and agent). */
#define WALRAS_MAX_INTERVALS 10000000

/* Weights that must sum to 1 (sigma = 1) may miss it by this much. */
#define WALRAS_WEIGHT_SUM_TOL 1e-9

/* The tenants' firm shares must sum to 1 up to the rounding of decimals. */
#define WALRAS_FIRM_SHARE_TOL 1e-9

/* Where a value came from, for messages. */
typedef struct {
  const char *file; /* the scenario file, or its name when built in memory */
  int         line; /* 1-based; 0 when there is no line */
  char        key[192];
} WalrasWhere;

/* Location of a YAML node. */
WalrasWhere WalrasWhereOfNode(WalrasYAMLNode node);
/* Location without a line (scenarios built in memory); key is a format. */
WalrasWhere WalrasWhereOfKey(const char *file, int line, const char *fmt, ...)
    PETSC_ATTRIBUTE_FORMAT(3, 4);
/* "file:line: 'key':" (or "file: 'key':" without a line) into buf. */
const char *WalrasWhereText(const WalrasWhere *where, char *buf, size_t len);

/* An input error at where: the message reads "<where> <what>". */
#define WalrasWhereCheck(cond, where, fmt, ...)                                                    \
  do {                                                                                             \
    if (PetscUnlikely(!(cond))) {                                                                  \
      char walras_where_buf_[320];                                                                 \
      WalrasInputError("%s " fmt,                                                                  \
                       WalrasWhereText((where), walras_where_buf_, sizeof(walras_where_buf_)),     \
                       __VA_ARGS__);                                                               \
    }                                                                                              \
  } while (0)

/* What only the YAML file knows: where each value came from, and the parts
   of the file the struct does not keep (exits, demand source). */
typedef struct {
  WalrasWhere  sigma;
  WalrasWhere  horizon;
  WalrasWhere *agent;      /* [A] the agent's mapping */
  WalrasWhere *capacity;   /* [A*R] the capacity value of (a, r), or the agent */
  WalrasWhere *edge;       /* [E] the edge (or entry) that made each edge */
  PetscInt     n_exit;     /* -1 when orchestrator.exit is not given */
  PetscInt    *exit;       /* [n_exit] agent indices */
  WalrasWhere *exit_where; /* [n_exit] */
  WalrasWhere  exit_list;  /* orchestrator.exit */
} WalrasScenarioSource;

PetscErrorCode WalrasScenarioSourceDestroy(WalrasScenarioSource *source);

/* Parsing, one part of the file each (scenario_*.c). */
PetscErrorCode WalrasScenarioParseHorizon(WalrasYAMLNode horizon, WalrasScenario *sc);
PetscErrorCode WalrasScenarioParseMetrics(WalrasYAMLNode metrics, WalrasScenario *sc);
PetscErrorCode WalrasScenarioParseDemand(WalrasYAMLNode demand, WalrasScenario *sc);
/* orchestrator.tenants (scenario_tenants.c): names, demands and firm shares;
   their entries come with the edges. */
PetscErrorCode WalrasScenarioParseTenants(WalrasYAMLNode tenants, WalrasScenario *sc);
/* shares and arrivals of the whole economy from the tenants' (scenario.h). */
PetscErrorCode WalrasScenarioCombineTenants(WalrasScenario *sc);
/* With tenants: a metric an agent requires has capacity > 0 in every
   interval in which a tenant whose tasks can reach the agent has demand.
   src may be NULL (scenarios built in memory). */
PetscErrorCode WalrasScenarioCheckTenantCapacity(const WalrasScenario       *sc,
                                                 const WalrasScenarioSource *src);
/* Index of the tenant called name, or -1. */
PetscInt       WalrasScenarioFindTenant(const WalrasScenario *sc, const char *name);
PetscErrorCode WalrasScenarioParseAgents(WalrasYAMLNode agents, WalrasYAMLNode providers,
                                         WalrasScenario *sc, WalrasScenarioSource *src);
PetscErrorCode WalrasScenarioParseEdges(WalrasYAMLNode edges, WalrasYAMLNode orchestrator,
                                        WalrasScenario *sc, WalrasScenarioSource *src);

/* 'arrays': agents, edges and shares from an HDF5 file, read in parallel
   (scenario_arrays.c).  Collective on PETSC_COMM_WORLD. */
PetscErrorCode WalrasScenarioParseArrays(WalrasYAMLNode arrays, WalrasScenario *sc);

PetscErrorCode WalrasScenarioParseCapacity(WalrasYAMLNode agent, WalrasYAMLNode providers,
                                           const WalrasScenario *sc, WalrasAgentSpec *spec,
                                           WalrasWhere *cap_where);

/* Resolves a data file named at node relative to the scenario file and checks
   that it can be read (an input error at node otherwise). */
PetscErrorCode WalrasScenarioDataPath(WalrasYAMLNode node, char *path, size_t len);
/* Index of the metric called name, or -1. */
PetscInt WalrasScenarioFindMetric(const WalrasScenario *sc, const char *name);

/* Value rules (scenario_rules.c), shared by loading and validation. */
PetscErrorCode WalrasRuleHorizon(const WalrasWhere *where, PetscReal T, PetscInt K,
                                 const PetscReal dt[]);
PetscErrorCode WalrasRuleSigma(const WalrasWhere *where, PetscReal sigma);
PetscErrorCode WalrasRuleGamma(const WalrasWhere *where, PetscReal gamma);
PetscErrorCode WalrasRuleCapacity(const WalrasWhere *where, PetscInt K, const PetscReal cap[]);
PetscErrorCode WalrasRuleRequire(const WalrasWhere *where, PetscInt R, const PetscReal d[]);
PetscErrorCode WalrasRuleRequiredCapacity(const WalrasWhere *where, const WalrasScenario *sc,
                                          const WalrasAgentSpec *agent, PetscInt r);
PetscErrorCode WalrasRuleShares(const WalrasWhere *where, PetscInt K, const PetscReal s[]);

/* DAG rules (scenario_dag.c): edges name agents, weights > 0, no duplicate,
   no cycle, every agent reachable from an entry, every sink an exit (when
   src gives exits), and at sigma = 1 outgoing weights that sum to 1.  src
   may be NULL (a scenario built in memory). */
PetscErrorCode WalrasScenarioCheckDAG(const WalrasScenario *sc, const WalrasScenarioSource *src);

/* Stops every rank of comm with the message of the lowest rank whose msg is
   not empty (no-op when all are empty).  Collective. */
PetscErrorCode WalrasAgreeInput(MPI_Comm comm, const char *msg);

/* The checks of an arrays scenario that need the far end of an edge
   (scenario_slice.c); every rank raises the same error.  Collective. */
PetscErrorCode WalrasScenarioSliceCheck(MPI_Comm comm, const WalrasScenario *scenario);
PetscErrorCode WalrasScenarioSliceDestroy(WalrasScenarioSlice **slice);
