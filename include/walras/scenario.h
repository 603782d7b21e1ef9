#pragma once

/* A scenario: one agent economy of MODEL.md, as read from a YAML file.

   A scenario from YAML is the global description, held whole on every rank
   (every rank parses the same file and raises the same errors).  A scenario
   with an 'arrays' file holds only this rank's slice of the agents and
   edges (WalrasScenarioSlice).  The distributed economy (economy.h) takes
   from either only the agents each rank owns.
   Format: docs/scenario.md. */

#include <walras/sys.h>
#include <petscsf.h>

typedef enum { WALRAS_FIRM_FRONTIER = 0, WALRAS_FIRM_CAPACITY = 1 } WalrasFirmKind;

PETSC_EXTERN const char *const WalrasFirmKinds[];

/* One agent, a firm of MODEL.md section 2. */
typedef struct {
  char          *name;
  WalrasFirmKind kind;
  PetscReal      gamma;   /* frontier curvature, > 1 (unused for capacity) */
  PetscReal     *cap;     /* [R*K], cap[r*K + k] >= 0: metric r per unit time in interval k */
  PetscReal     *require; /* [R], d[a][r] >= 0, not all zero: units of metric r per task */
  int            line;    /* line of the agent in the scenario file, for messages */
} WalrasAgentSpec;

/* A DAG edge from -> to with routing weight w > 0.  A negative from is an
   orchestrator's virtual source: such edges mark the entry agents, from = -1
   for the one orchestrator, or from = -1 - h for tenant h. */
typedef struct {
  PetscInt  from, to;
  PetscReal weight;
} WalrasEdgeSpec;

/* The tenant (orchestrator) whose entry edge has this from (< 0). */
static inline PetscInt WalrasEntryTenant(PetscInt from)
{
  return -1 - from;
}

/* One of several orchestrators that share the agents (MODEL.md section 3,
   consumers h): its own demand and entry agents, and the share theta_h of
   every firm's profit.  Tenants share sigma, the edges and their weights. */
typedef struct {
  char      *name;
  PetscReal  firm_share; /* theta_h > 0; the tenants' shares sum to 1 */
  PetscReal *shares;     /* [K] s_h[k] >= 0, sum 1 */
  PetscReal *arrivals;   /* [K] task arrival rate of its demand trace, or NULL */
} WalrasTenantSpec;

/* This rank's contiguous slice of a scenario read from an arrays file:
   agents [a0, a0 + n) of the file and their out-edges, and entries
   [q0, q0 + nq) of the file's entry list.  Scenario edge numbers (outputs)
   put the file's entries first: entry q is edge q, out-edge e of the file
   is edge n_entry + e. */
typedef struct {
  PetscInt   a0, n;
  PetscInt  *kind;      /* [n] WalrasFirmKind */
  PetscInt  *level;     /* [n] height above the exits, falling along every edge */
  PetscReal *gamma;     /* [n] */
  PetscReal *require;   /* [n*R] */
  PetscReal *cap;       /* [n*R*K] */
  PetscInt  *out_start; /* [n+1] offsets into target and weight, from 0 */
  PetscInt   e0;        /* file index of the slice's first out-edge */
  PetscInt  *target;    /* [out_start[n]] file index of each out-edge's target */
  PetscReal *weight;    /* [out_start[n]] */
  PetscInt   n_entry;   /* entries in the whole file */
  PetscInt   q0, nq;
  PetscInt  *entry;        /* [nq] target agent of each entry of the slice */
  PetscReal *entry_weight; /* [nq] */
  PetscBool  released;     /* WalrasScenarioReleaseSlice() freed the arrays */
} WalrasScenarioSlice;

typedef struct {
  char *path; /* the scenario file */
  char *text; /* its whole text, stored in the output */
  char *name;

  PetscInt   A, R, K, E; /* agents, metrics, intervals, edges (entry edges included) */
  PetscReal  T;          /* horizon, seconds */
  PetscReal *dt;         /* [K] interval lengths, sum T */
  char     **metrics;    /* [R] names */

  PetscReal  sigma;    /* routing elasticity, > 0 */
  PetscReal *shares;   /* [K] spending shares s[k] >= 0, sum 1 */
  PetscReal *arrivals; /* [K] task arrival rate per interval from the demand trace, or NULL */

  /* Several orchestrators (orchestrator.tenants): H >= 2 and tenants[H].
     Then shares is sum_h theta_h s_h (the intervals with demand) and
     arrivals the sum of the tenants' arrivals (NULL unless all have them).
     H = 0 and tenants = NULL: one orchestrator with shares and arrivals. */
  PetscInt          H;
  WalrasTenantSpec *tenants;

  WalrasAgentSpec *agents; /* [A], in file order: the "scenario order" of outputs */
  WalrasEdgeSpec  *edges;  /* [E] */

  /* Scenarios with an 'arrays' file (docs/generate.md): the file, and this
     rank's slice of it; agents and edges are then NULL, no rank holds the
     whole DAG.  NULL otherwise. */
  char                *arrays;
  WalrasScenarioSlice *slice;
} WalrasScenario;

/* Reads and validates the scenario at path.  Not collective, but call it on
   every rank: the errors are the same everywhere.  A scenario with an
   'arrays' file is read collectively on PETSC_COMM_WORLD (each rank reads
   and checks a slice; an error found on any rank stops all of them with one
   message).  Validation: the DAG has no
   cycle, edges name known agents, every agent is reachable from an entry and
   reaches an exit, capacities are finite and >= 0 (and > 0 where the agent
   requires that metric), gamma > 1, sigma > 0, requirements not all zero,
   K >= 1, the demand trace has rows.  Data files named in the scenario are
   read relative to the scenario's folder. */
PETSC_EXTERN PetscErrorCode WalrasScenarioLoad(const char *path, WalrasScenario **scenario);
PETSC_EXTERN PetscErrorCode WalrasScenarioDestroy(WalrasScenario **scenario);

/* Checks a scenario built in memory (tests, the generator) with the same
   rules as WalrasScenarioLoad. */
PETSC_EXTERN PetscErrorCode WalrasScenarioValidate(const WalrasScenario *scenario);

/* Number of consumers: H with tenants, else 1. */
static inline PetscInt WalrasScenarioConsumers(const WalrasScenario *sc)
{
  return sc->H > 1 ? sc->H : 1;
}

/* Index of the agent called name, or -1 (always -1 for arrays scenarios,
   whose agents are named by their index). */
PETSC_EXTERN PetscInt WalrasScenarioFindAgent(const WalrasScenario *scenario, const char *name);

/* The name of agent a (scenario order) into buf: its name in the YAML file,
   or "a<index>" for arrays scenarios. */
PETSC_EXTERN PetscErrorCode WalrasScenarioAgentName(const WalrasScenario *scenario, PetscInt a,
                                                    char *buf, size_t len);

/* Frees the slice's arrays once a WalrasEconomy holds its own copy
   (WalrasEconomyCreate moves them to the agents' owners): the capacities
   alone are 8 bytes per good, as much as a price vector.  The sizes stay;
   no economy can be created from the scenario afterwards.  No-op without a
   slice. */
PETSC_EXTERN PetscErrorCode WalrasScenarioReleaseSlice(WalrasScenario *scenario);

/* Owner of global index g when rank q holds [ranges[q], ranges[q+1]). */
static inline PetscMPIInt WalrasRangeOwner(PetscMPIInt size, const PetscInt *ranges, PetscInt g)
{
  PetscMPIInt lo = 0, hi = size - 1;

  while (lo < hi) {
    PetscMPIInt mid = (lo + hi + 1) / 2;

    if (ranges[mid] <= g)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

/* Collective.  The first agent of every rank's slice, ranges[size] = A
   (free with PetscFree). */
PETSC_EXTERN PetscErrorCode WalrasScenarioSliceRanges(MPI_Comm comm, const WalrasScenario *scenario,
                                                      PetscInt **ranges);

/* Collective.  The links of the slices as a star forest: roots are the
   slice's agents, leaves its out-edges (0 .. out_start[n]-1) then its
   entries, each pointing at its target agent's slice entry. */
PETSC_EXTERN PetscErrorCode WalrasScenarioSliceLinks(MPI_Comm comm, const WalrasScenario *scenario,
                                                     PetscSF *links);
