#pragma once

/* Private layout of a WalrasEconomy.  "local" indices run over this rank's
   agents in the order of the distributed vectors; "slot" indices run over
   local agents then ghost agents (other ranks' agents that are successors of
   local ones): slot < nlocal is local, slot - nlocal is a ghost. */

#include <walras/economy.h>
#include <petscsf.h>
#include <walras/partition.h>

struct _p_WalrasEconomy {
  MPI_Comm              comm;
  PetscMPIInt           rank, size;
  const WalrasScenario *scenario;
  char                  partition[32];

  PetscInt  A, R, K, E, bs; /* bs = R*K goods per agent */
  PetscInt  nlocal, astart; /* this rank owns agents [astart, astart + nlocal) */
  PetscInt  nghost;
  PetscInt  levels; /* heights 0 .. levels-1 (0 = exits) */
  PetscInt  cut_edges;
  PetscReal imbalance;

  /* Per local agent. */
  PetscInt *scenario_index; /* [nlocal] */
  PetscInt *height;         /* [nlocal] */
  PetscInt *by_height;      /* [nlocal] local agents sorted by height */
  PetscInt *level_start;    /* [levels+1] offsets into by_height */

  /* Successors of local agents, CSR over local agents. */
  PetscInt  *succ_start;     /* [nlocal+1] */
  PetscInt  *succ_slot;      /* [n_succ] */
  PetscReal *succ_weight;    /* [n_succ] w (sigma = 1) or w^sigma */
  PetscInt  *succ_edge;      /* [n_succ] scenario edge index */
  PetscInt  *ghost_scenario; /* [nghost] scenario index of each ghost agent */

  /* Entry edges whose target is local. */
  PetscInt   n_entry;
  PetscInt  *entry_local;  /* [n_entry] */
  PetscReal *entry_weight; /* [n_entry] w0 or w0^sigma */
  PetscInt  *entry_edge;   /* [n_entry] */
  PetscInt  *entry_tenant; /* [n_entry] the orchestrator h whose entry it is */

  /* One star forest per height: roots are all local agents, leaves the
     ghosts of that height; unit = K reals. */
  PetscSF     *sf_level; /* [levels] */
  MPI_Datatype unit;

  /* Model data of local agents, the economy's own copy (no pointer into the
     scenario, which may hold another rank's slice). */
  PetscInt        *kind;  /* [nlocal] WalrasFirmKind */
  PetscReal       *gamma; /* [nlocal] */
  PetscReal       *d;     /* [nlocal*R] */
  PetscReal       *cap;   /* [nlocal*R*K], agent i at i*bs */
  const PetscReal *dt;
  PetscReal        sigma;

  /* The orchestrators (consumers) h = 0 .. H-1: one, or the tenants. */
  PetscInt   H;
  PetscReal *theta;  /* [H] share of every firm's profit */
  PetscReal *shares; /* [H*K] s_h[k] */

  /* Vectors (layout: nlocal*bs local, block size bs): the state of the last
     evaluation.  Excess demand and scale are not kept: they go straight
     into the caller's vectors (WalrasEconomyMarketEvaluate), and the
     weights are the pattern dt of period K (market.h).  x (demand) exists
     from the first WalrasEconomyEvaluate on (the output's), not during the
     solvers' rounds. */
  Vec          p_last, y, x;
  WalrasMarket market;

  /* Work arrays of the sweeps. */
  PetscReal *cost;      /* [(nlocal+nghost)*K] C_a, ghosts after locals */
  PetscReal *cost_next; /* [nlocal*K] Chat_a */
  PetscReal *inflow;    /* [(nlocal+nghost)*K] G_a; ghost part accumulates outflows */
  PetscReal *flows;     /* [(n_succ+n_entry)*K] G_ab per edge: successors, then entries */
  PetscInt  *flow_edge; /* [n_succ+n_entry] scenario edge index of each flow */

  /* State of the last evaluation: per orchestrator [H*K] n_h[k] and C_0h[k];
     with tenants also the totals of the state ([K] tasks and cost per task),
     the incomes and welfares [H]. */
  PetscReal         *tasks, *unit_cost;
  PetscReal         *total_tasks, *mean_cost, *income_h, *welfare_h;
  WalrasEconomyState state;

  /* Work arrays of the tangent sweeps (economy_tangent.c), allocated on
     first use: the derivatives of cost, cost_next and inflow along dp, and
     of the supply ([nlocal*bs]). */
  PetscReal *dcost, *dcost_next, *dinflow, *dsupply;
};

/* What one rank owns after partitioning, the same from both setups (a
   replicated YAML scenario, or slices of an arrays file): its agents in the
   new numbering, their out-edges (CSR, in scenario edge order) and the entry
   edges whose target it owns.  WalrasEconomyCreate takes the arrays it
   keeps and sets their pointers to NULL. */
typedef struct {
  PetscInt   n;
  PetscInt  *scenario_index;  /* [n] */
  PetscInt  *height;          /* [n] */
  PetscInt  *kind;            /* [n] */
  PetscReal *gamma;           /* [n] */
  PetscReal *require;         /* [n*R] */
  PetscReal *cap;             /* [n*R*K] */
  PetscInt  *out_start;       /* [n+1] */
  PetscInt  *target;          /* [m] new global number of the target */
  PetscInt  *target_height;   /* [m] */
  PetscInt  *target_scenario; /* [m] scenario index of the target */
  PetscInt  *edge;            /* [m] scenario edge index */
  PetscReal *weight;          /* [m] w as given */
  PetscInt   n_entry;
  PetscInt  *entry_local;  /* [n_entry] local index of the target */
  PetscInt  *entry_tenant; /* [n_entry] */
  PetscInt  *entry_edge;   /* [n_entry] */
  PetscReal *entry_weight; /* [n_entry] w as given */
} WalrasOwnedAgents;

PETSC_INTERN PetscErrorCode WalrasOwnedAgentsDestroy(WalrasOwnedAgents *own);

/* The unit of n reals for star forests (MPIU_REAL itself for n = 1), and
   its release. */
PETSC_INTERN PetscErrorCode WalrasRealsType(PetscInt n, MPI_Datatype *type);
PETSC_INTERN PetscErrorCode WalrasRealsTypeFree(MPI_Datatype *type);

/* Partitions graph (rows in the numbering of the caller, contiguous per
   rank) over the economy's ranks: sets nlocal, astart, cut_edges and
   imbalance, and returns each local row's new global number.  Collective. */
PETSC_INTERN PetscErrorCode WalrasEconomyPartition(WalrasEconomy ec, const WalrasGraph *graph,
                                                   IS *new_global);

/* The two setups (economy_replicated.c, economy_distribute.c): partition
   the agents and hand each rank what it owns; also set ec->levels.
   Collective. */
PETSC_INTERN PetscErrorCode WalrasEconomyOwnReplicated(WalrasEconomy ec, WalrasOwnedAgents *own);
PETSC_INTERN PetscErrorCode WalrasEconomyOwnSlices(WalrasEconomy ec, WalrasOwnedAgents *own);

/* Log events of one evaluation (registered by WalrasEconomyCreate; the
   scale benchmark reads them): firms' supply, the backward and forward
   sweeps (their exchanges included), the consumer's global reduction. */
PETSC_INTERN PetscLogEvent WALRAS_EVENT_SUPPLY, WALRAS_EVENT_BACKWARD, WALRAS_EVENT_FORWARD,
    WALRAS_EVENT_REDUCE;
PETSC_INTERN PetscErrorCode WalrasEconomyRegisterEvents(void);

/* Share of the flow at a that goes to b, G_ab / G_a = w^sigma (Chat_a / C_b)^sigma,
   which is also dChat_a / dC_b.  weight holds w^sigma (w at sigma = 1). */
static inline PetscReal WalrasSplitFactor(PetscReal sigma, PetscReal weight, PetscReal chat,
                                          PetscReal cost_b)
{
  /* A free successor (prices exactly 0): split by the weights alone. */
  if (cost_b <= 0.0) return weight;
  if (sigma == 1.0) return weight * chat / cost_b;
  return weight * PetscPowReal(chat / cost_b, sigma);
}

/* Sweeps of MODEL.md section 3 (routing.c).  Collective. */
PETSC_INTERN PetscErrorCode WalrasRoutingBackward(WalrasEconomy economy, const PetscReal *p);
PETSC_INTERN PetscErrorCode WalrasRoutingForward(WalrasEconomy economy);

/* Market callbacks (economy_eval.c). */
PETSC_INTERN PetscErrorCode WalrasEconomyMarketEvaluate(void *ctx, Vec p, Vec z, Vec scale,
                                                        PetscReal *demand_value);
PETSC_INTERN PetscErrorCode WalrasEconomyNameGood(void *ctx, PetscInt i, char *name, size_t len);

/* Derivatives (economy_tangent.c): the market's jacobian_action and
   jacobian_unit_income. */
PETSC_INTERN PetscErrorCode WalrasEconomyJacobianAction(void *ctx, Vec p, Vec dp, Vec dz);
PETSC_INTERN PetscErrorCode WalrasEconomyJacobianUnitIncome(void *ctx, Vec p, Mat *J);
PETSC_INTERN PetscErrorCode WalrasEconomyTangentDestroy(WalrasEconomy economy);
