#pragma once

/* The agent economy of MODEL.md sections 1-3, distributed by agent.

   Each rank owns whole agents: prices, supply, demand and excess demand are
   PETSc Vecs with block size R*K, agent blocks in the partition's numbering
   (inside a block, good (r, k) sits at r*K + k).  Each rank solves its firms'
   production problems and sweeps the routing recursion over its own agents,
   level by level, exchanging the unit costs and task flows of cut edges with
   one star forest per level. */

#include <walras/market.h>
#include <walras/scenario.h>

typedef struct _p_WalrasEconomy *WalrasEconomy;

/* Collective on comm.  Partitions the agents of scenario (held whole on
   every rank, or in slices for arrays scenarios; it must outlive the
   economy) with the partitioner
   partition_type (partition.h), and sets up the distributed vectors and the
   per-level exchanges. */
PETSC_EXTERN PetscErrorCode WalrasEconomyCreate(MPI_Comm comm, const WalrasScenario *scenario,
                                                const char *partition_type, WalrasEconomy *economy);
PETSC_EXTERN PetscErrorCode WalrasEconomyDestroy(WalrasEconomy *economy);

/* The economy as a market for the solvers (solver.h); owned by the economy. */
PETSC_EXTERN PetscErrorCode WalrasEconomyGetMarket(WalrasEconomy economy, WalrasMarket **market);

/* Collective.  A new price vector (caller destroys it) set to the starting
   prices: equal on every good that someone supplies or demands, 0 on null
   goods (zero capacity and zero requirement), normalised so <p, 1> = 1. */
PETSC_EXTERN PetscErrorCode WalrasEconomyCreatePrices(WalrasEconomy economy, Vec *p);

/* Everything the economy computed at the prices of its last evaluation.
   The excess demand is demand - supply (the economy keeps no copy of it:
   solvers get it from the market's evaluate into their own vector). */
typedef struct {
  Vec        prices, supply, demand; /* borrowed, layout of the market */
  PetscReal  income;                 /* m = sum of profits */
  PetscReal  welfare;                /* U = sum_k s[k] log n[k] (summed over tenants) */
  PetscReal *tasks;                  /* [K] n[k], tasks per unit time (all tenants) */
  PetscReal *unit_cost; /* [K] C_0[k]; with tenants the cost per task, sum_h n_h C_0h / n */

  /* Per orchestrator h < H (H = 1 without tenants): n_h[k] and C_0h[k] at
     [h*K + k], m_h = theta_h m and U_h = sum_k s_h[k] log n_h[k]. */
  PetscInt   H;
  PetscReal *tenant_tasks, *tenant_unit_cost; /* [H*K] */
  PetscReal *tenant_income, *tenant_welfare;  /* [H] */
} WalrasEconomyState;

/* Collective.  Evaluates the economy at p and returns the state (borrowed;
   valid until the next evaluation). */
PETSC_EXTERN PetscErrorCode WalrasEconomyEvaluate(WalrasEconomy economy, Vec p,
                                                  const WalrasEconomyState **state);

/* Sizes and partition facts, for logs and output. */
typedef struct {
  PetscInt    A, R, K, E;             /* agents, metrics, intervals, edges */
  PetscInt    nlocal, nghost, levels; /* this rank's agents, ghost agents, DAG levels */
  PetscInt    cut_edges;              /* DAG edges between agents of different ranks */
  PetscReal   imbalance;              /* max rank agents / mean */
  const char *partition;
} WalrasEconomyInfo;

PETSC_EXTERN PetscErrorCode WalrasEconomyGetInfo(WalrasEconomy economy, WalrasEconomyInfo *info);

/* Not collective.  Scenario index of each of this rank's agents, in the
   order of the distributed vectors ([nlocal], borrowed). */
PETSC_EXTERN PetscErrorCode WalrasEconomyGetLocalAgents(WalrasEconomy    economy,
                                                        const PetscInt **scenario_index);

/* Not collective.  The task flow G_ab[k] of every edge whose flow this rank
   computed (the edges leaving its agents; entry edges go with their target):
   scenario edge indices [n] and flows [n*K] (borrowed). */
PETSC_EXTERN PetscErrorCode WalrasEconomyGetEdgeFlows(WalrasEconomy economy, PetscInt *n,
                                                      const PetscInt  **edge_index,
                                                      const PetscReal **flows);

/* Not collective.  The ends of those edges in scenario numbers: from[n]
   (an orchestrator's source is -1 - h) and to[n], in the order of
   WalrasEconomyGetEdgeFlows; the caller provides the arrays. */
PETSC_EXTERN PetscErrorCode WalrasEconomyGetEdgeEnds(WalrasEconomy economy, PetscInt *from,
                                                     PetscInt *to);

/* Firms' supply at given prices, one agent at a time (MODEL.md section 2).
   p, cap, y are [R*K] with good (r, k) at r*K + k; profit is sum_k dt[k] ...
   Not collective; exposed for the tests. */
PETSC_EXTERN void WalrasFrontierSupply(PetscInt R, PetscInt K, PetscReal gamma,
                                       const PetscReal dt[], const PetscReal p[],
                                       const PetscReal cap[], PetscReal y[], PetscReal *profit);
PETSC_EXTERN void WalrasCapacitySupply(PetscInt R, PetscInt K, const PetscReal dt[],
                                       const PetscReal p[], const PetscReal cap[], PetscReal y[],
                                       PetscReal *profit);

/* Collective.  A vector in scenario order (agent blocks of R*K goods as in
   the scenario file, split evenly over the ranks) and the scatter that fills
   it from a vector of the market's layout.  Outputs and comparisons across
   rank counts use it; the caller destroys both. */
PETSC_EXTERN PetscErrorCode WalrasEconomyCreateNatural(WalrasEconomy economy, Vec *natural,
                                                       VecScatter *to_natural);

/* Not collective.  The scenario the economy was made from (borrowed). */
PETSC_EXTERN PetscErrorCode WalrasEconomyGetScenario(WalrasEconomy          economy,
                                                     const WalrasScenario **scenario);
