/* Creation of the distributed agent economy: partition, ghosts, exchanges. */

#include "core/economyimpl.h"

/* PETSc's SF reduces a contiguous type of one real with MPI_Reduce_local,
   which rejects MPI_SUM on a derived type: n = 1 uses the real itself. */
PetscErrorCode WalrasRealsType(PetscInt n, MPI_Datatype *type)
{
  PetscFunctionBegin;
  if (n == 1) {
    *type = MPIU_REAL;
    PetscFunctionReturn(0);
  }
  PetscCallMPI(MPI_Type_contiguous((PetscMPIInt)n, MPIU_REAL, type));
  PetscCallMPI(MPI_Type_commit(type));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRealsTypeFree(MPI_Datatype *type)
{
  PetscFunctionBegin;
  if (*type != MPIU_REAL) PetscCallMPI(MPI_Type_free(type));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyPartition(WalrasEconomy ec, const WalrasGraph *graph, IS *new_global)
{
  IS                     owner;
  WalrasPartitionQuality q;

  PetscFunctionBegin;
  PetscCall(WalrasPartitionCompute(ec->comm, graph, ec->partition, &owner));
  PetscCall(WalrasPartitionRenumber(ec->comm, graph, owner, new_global, &ec->nlocal));
  PetscCall(WalrasPartitionMeasure(ec->comm, graph, owner, &q));
  ec->cut_edges = q.cut_edges;
  ec->imbalance = q.imbalance;
  PetscCall(ISDestroy(&owner));
  ec->astart = 0;
  PetscCallMPI(MPI_Exscan(&ec->nlocal, &ec->astart, 1, MPIU_INT, MPI_SUM, ec->comm));
  if (ec->rank == 0) ec->astart = 0;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasOwnedAgentsDestroy(WalrasOwnedAgents *own)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(own->scenario_index));
  PetscCall(PetscFree(own->height));
  PetscCall(PetscFree(own->kind));
  PetscCall(PetscFree(own->gamma));
  PetscCall(PetscFree(own->require));
  PetscCall(PetscFree(own->cap));
  PetscCall(PetscFree(own->out_start));
  PetscCall(PetscFree(own->target));
  PetscCall(PetscFree(own->target_height));
  PetscCall(PetscFree(own->target_scenario));
  PetscCall(PetscFree(own->edge));
  PetscCall(PetscFree(own->weight));
  PetscCall(PetscFree(own->entry_local));
  PetscCall(PetscFree(own->entry_tenant));
  PetscCall(PetscFree(own->entry_edge));
  PetscCall(PetscFree(own->entry_weight));
  PetscFunctionReturn(0);
}

static PetscInt FindSorted(PetscInt n, const PetscInt *sorted, PetscInt key)
{
  PetscInt lo = 0, hi = n;

  while (lo < hi) {
    PetscInt mid = (lo + hi) / 2;

    if (sorted[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Local agents, their successors (local slots or ghosts) and entry edges,
   from what this rank owns; takes own's agent arrays. */
static PetscErrorCode BuildLocalGraph(WalrasEconomy ec, WalrasOwnedAgents *own,
                                      PetscInt **ghost_global, PetscInt **ghost_height)
{
  const PetscInt n = ec->nlocal, n_succ = own->out_start[n];
  PetscInt       n_remote = 0, *remote;
  PetscReal      sigma    = ec->sigma;

  PetscFunctionBegin;
  ec->scenario_index  = own->scenario_index;
  ec->height          = own->height;
  ec->kind            = own->kind;
  ec->gamma           = own->gamma;
  ec->d               = own->require;
  ec->cap             = own->cap;
  own->scenario_index = own->height = own->kind = NULL;
  own->gamma = own->require = own->cap = NULL;

  /* Ghosts: successors owned elsewhere, numbered in increasing global order. */
  PetscCall(PetscMalloc1(n_succ + 1, &remote));
  for (PetscInt m = 0; m < n_succ; m++) {
    PetscInt g = own->target[m];

    if (g < ec->astart || g >= ec->astart + n) remote[n_remote++] = g;
  }
  PetscCall(PetscSortRemoveDupsInt(&n_remote, remote));
  ec->nghost    = n_remote;
  *ghost_global = remote;
  PetscCall(PetscMalloc1(n_remote + 1, ghost_height));
  PetscCall(PetscMalloc1(n_remote + 1, &ec->ghost_scenario));

  PetscCall(PetscMalloc4(n + 1, &ec->succ_start, n_succ + 1, &ec->succ_slot, n_succ + 1,
                         &ec->succ_weight, n_succ + 1, &ec->succ_edge));
  PetscCall(PetscArraycpy(ec->succ_start, own->out_start, n + 1));
  for (PetscInt m = 0; m < n_succ; m++) {
    PetscInt g = own->target[m];

    if (g >= ec->astart && g < ec->astart + n)
      ec->succ_slot[m] = g - ec->astart;
    else {
      PetscInt gi = FindSorted(n_remote, remote, g);

      ec->succ_slot[m]       = n + gi;
      (*ghost_height)[gi]    = own->target_height[m];
      ec->ghost_scenario[gi] = own->target_scenario[m];
    }
    /* At sigma = 1 the weights enter as exponents, otherwise as w^sigma. */
    ec->succ_weight[m] = sigma == 1.0 ? own->weight[m] : PetscPowReal(own->weight[m], sigma);
    ec->succ_edge[m]   = own->edge[m];
  }

  ec->n_entry = own->n_entry;
  PetscCall(PetscMalloc4(ec->n_entry + 1, &ec->entry_local, ec->n_entry + 1, &ec->entry_weight,
                         ec->n_entry + 1, &ec->entry_edge, ec->n_entry + 1, &ec->entry_tenant));
  for (PetscInt m = 0; m < ec->n_entry; m++) {
    PetscReal w = own->entry_weight[m];

    ec->entry_local[m]  = own->entry_local[m];
    ec->entry_weight[m] = sigma == 1.0 ? w : PetscPowReal(w, sigma);
    ec->entry_tenant[m] = own->entry_tenant[m];
    ec->entry_edge[m]   = own->entry_edge[m];
  }
  PetscFunctionReturn(0);
}

/* The orchestrators' shares of the firms and spending shares, and the
   arrays of their state. */
static PetscErrorCode SetUpConsumers(WalrasEconomy ec, const WalrasScenario *sc)
{
  const PetscInt K = ec->K, H = WalrasScenarioConsumers(sc);

  PetscFunctionBegin;
  ec->H = H;
  PetscCall(PetscMalloc2(H, &ec->theta, H * K, &ec->shares));
  for (PetscInt h = 0; h < H; h++) {
    ec->theta[h] = H > 1 ? sc->tenants[h].firm_share : 1.0;
    PetscCall(PetscArraycpy(ec->shares + h * K, H > 1 ? sc->tenants[h].shares : sc->shares, K));
  }
  PetscCall(PetscCalloc6(H * K, &ec->tasks, H * K, &ec->unit_cost, K, &ec->total_tasks, K,
                         &ec->mean_cost, H, &ec->income_h, H, &ec->welfare_h));
  PetscFunctionReturn(0);
}

/* Local agents grouped by height, for the level-by-level sweeps. */
static PetscErrorCode BuildLevels(WalrasEconomy ec)
{
  PetscInt *fill;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(ec->levels + 1, &ec->level_start));
  PetscCall(PetscMalloc1(ec->nlocal + 1, &ec->by_height));
  PetscCall(PetscCalloc1(ec->levels + 1, &fill));
  for (PetscInt i = 0; i < ec->nlocal; i++) ec->level_start[ec->height[i] + 1]++;
  for (PetscInt h = 0; h < ec->levels; h++) ec->level_start[h + 1] += ec->level_start[h];
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    PetscInt h = ec->height[i];

    ec->by_height[ec->level_start[h] + fill[h]++] = i;
  }
  PetscCall(PetscFree(fill));
  PetscFunctionReturn(0);
}

/* One star forest per height: roots are this rank's agents, leaves the ghost
   copies of agents of that height on the ranks of their predecessors.  A
   broadcast sends unit costs to the ghosts; a reduction adds the flows that
   ghosts collected into their owners' inflow. */
static PetscErrorCode BuildExchanges(WalrasEconomy ec, const PetscInt *ghost_global,
                                     const PetscInt *ghost_height)
{
  PetscInt    *ranges, *ilocal, nleaf;
  PetscSFNode *iremote;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(ec->size + 1, &ranges));
  PetscCallMPI(MPI_Allgather(&ec->astart, 1, MPIU_INT, ranges, 1, MPIU_INT, ec->comm));
  ranges[ec->size] = ec->A;
  PetscCall(WalrasRealsType(ec->K, &ec->unit));
  PetscCall(PetscMalloc1(ec->levels, &ec->sf_level));
  for (PetscInt h = 0; h < ec->levels; h++) {
    nleaf = 0;
    for (PetscInt gi = 0; gi < ec->nghost; gi++)
      if (ghost_height[gi] == h) nleaf++;
    PetscCall(PetscMalloc1(nleaf + 1, &ilocal));
    PetscCall(PetscMalloc1(nleaf + 1, &iremote));
    nleaf = 0;
    for (PetscInt gi = 0; gi < ec->nghost; gi++) {
      PetscMPIInt owner;

      if (ghost_height[gi] != h) continue;
      owner                = WalrasRangeOwner(ec->size, ranges, ghost_global[gi]);
      ilocal[nleaf]        = gi;
      iremote[nleaf].rank  = owner;
      iremote[nleaf].index = ghost_global[gi] - ranges[owner];
      nleaf++;
    }
    PetscCall(PetscSFCreate(ec->comm, &ec->sf_level[h]));
    PetscCall(PetscSFSetGraph(ec->sf_level[h], ec->nlocal, nleaf, ilocal, PETSC_OWN_POINTER,
                              iremote, PETSC_OWN_POINTER));
    PetscCall(PetscSFSetUp(ec->sf_level[h]));
  }
  PetscCall(PetscFree(ranges));
  PetscFunctionReturn(0);
}

/* Vectors and work arrays. */
static PetscErrorCode BuildVectors(WalrasEconomy ec)
{
  const WalrasScenario *sc     = ec->scenario;
  PetscInt              n_flow = ec->succ_start[ec->nlocal] + ec->n_entry;

  PetscFunctionBegin;
  PetscCall(VecCreate(ec->comm, &ec->y));
  PetscCall(VecSetSizes(ec->y, ec->nlocal * ec->bs, PETSC_DETERMINE));
  PetscCall(VecSetBlockSize(ec->y, ec->bs));
  PetscCall(VecSetFromOptions(ec->y));
  /* ec->x (demand) is allocated by the first WalrasEconomyEvaluate. */
  PetscCall(VecDuplicate(ec->y, &ec->p_last));

  PetscCall(PetscCalloc4((ec->nlocal + ec->nghost) * ec->K + 1, &ec->cost, ec->nlocal * ec->K + 1,
                         &ec->cost_next, (ec->nlocal + ec->nghost) * ec->K + 1, &ec->inflow,
                         n_flow * ec->K + 1, &ec->flows));
  PetscCall(PetscMalloc1(n_flow + 1, &ec->flow_edge));
  for (PetscInt m = 0; m < ec->succ_start[ec->nlocal]; m++) ec->flow_edge[m] = ec->succ_edge[m];
  for (PetscInt m = 0; m < ec->n_entry; m++)
    ec->flow_edge[ec->succ_start[ec->nlocal] + m] = ec->entry_edge[m];
  PetscCall(SetUpConsumers(ec, sc));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyCreate(MPI_Comm comm, const WalrasScenario *scenario,
                                   const char *partition_type, WalrasEconomy *economy)
{
  WalrasEconomy     ec;
  WalrasOwnedAgents own;
  PetscInt         *ghost_height;
  /* Set by BuildLocalGraph; GCC 12 cannot tell once it inlines BuildExchanges. */
  PetscInt *ghost_global = NULL;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyRegisterEvents());
  PetscCall(PetscNew(&ec));
  ec->comm     = comm;
  ec->scenario = scenario;
  PetscCallMPI(MPI_Comm_rank(comm, &ec->rank));
  PetscCallMPI(MPI_Comm_size(comm, &ec->size));
  PetscCall(PetscStrncpy(ec->partition, partition_type, sizeof(ec->partition)));
  ec->A     = scenario->A;
  ec->R     = scenario->R;
  ec->K     = scenario->K;
  ec->E     = scenario->E;
  ec->bs    = scenario->R * scenario->K;
  ec->dt    = scenario->dt;
  ec->sigma = scenario->sigma;

  if (scenario->slice) {
    PetscMPIInt same;

    PetscCallMPI(MPI_Comm_compare(comm, PETSC_COMM_WORLD, &same));
    PetscCheck(same == MPI_IDENT || same == MPI_CONGRUENT, comm, PETSC_ERR_ARG_INCOMP,
               "an arrays scenario was read in slices on PETSC_COMM_WORLD: create its economy "
               "there");
  }
  PetscCall(PetscMemzero(&own, sizeof(own)));
  if (scenario->slice)
    PetscCall(WalrasEconomyOwnSlices(ec, &own));
  else
    PetscCall(WalrasEconomyOwnReplicated(ec, &own));
  PetscCall(BuildLocalGraph(ec, &own, &ghost_global, &ghost_height));
  PetscCall(WalrasOwnedAgentsDestroy(&own));
  PetscCall(BuildLevels(ec));
  PetscCall(BuildExchanges(ec, ghost_global, ghost_height));
  PetscCall(BuildVectors(ec));

  ec->market.ctx                  = ec;
  ec->market.layout               = ec->y;
  ec->market.weight               = ec->dt; /* good (r, k) of an agent weighs dt[k] */
  ec->market.weight_period        = ec->K;
  ec->market.evaluate             = WalrasEconomyMarketEvaluate;
  ec->market.good_name            = WalrasEconomyNameGood;
  ec->market.jacobian_action      = WalrasEconomyJacobianAction;
  ec->market.jacobian_unit_income = WalrasEconomyJacobianUnitIncome;

  PetscCall(PetscFree(ghost_global));
  PetscCall(PetscFree(ghost_height));
  *economy = ec;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyDestroy(WalrasEconomy *economy)
{
  WalrasEconomy ec = *economy;

  PetscFunctionBegin;
  if (!ec) PetscFunctionReturn(0);
  for (PetscInt h = 0; h < ec->levels; h++) PetscCall(PetscSFDestroy(&ec->sf_level[h]));
  PetscCall(PetscFree(ec->sf_level));
  if (ec->unit != MPI_DATATYPE_NULL && ec->unit) PetscCall(WalrasRealsTypeFree(&ec->unit));
  PetscCall(VecDestroy(&ec->y));
  PetscCall(VecDestroy(&ec->x));
  PetscCall(VecDestroy(&ec->p_last));
  PetscCall(PetscFree(ec->scenario_index));
  PetscCall(PetscFree(ec->height));
  PetscCall(PetscFree(ec->kind));
  PetscCall(PetscFree(ec->cap));
  PetscCall(PetscFree(ec->ghost_scenario));
  PetscCall(PetscFree(ec->by_height));
  PetscCall(PetscFree(ec->level_start));
  PetscCall(PetscFree4(ec->succ_start, ec->succ_slot, ec->succ_weight, ec->succ_edge));
  PetscCall(PetscFree4(ec->entry_local, ec->entry_weight, ec->entry_edge, ec->entry_tenant));
  PetscCall(PetscFree(ec->gamma));
  PetscCall(PetscFree(ec->d));
  PetscCall(PetscFree4(ec->cost, ec->cost_next, ec->inflow, ec->flows));
  PetscCall(PetscFree(ec->flow_edge));
  PetscCall(PetscFree2(ec->theta, ec->shares));
  PetscCall(PetscFree6(ec->tasks, ec->unit_cost, ec->total_tasks, ec->mean_cost, ec->income_h,
                       ec->welfare_h));
  PetscCall(WalrasEconomyTangentDestroy(ec));
  PetscCall(PetscFree(ec));
  *economy = NULL;
  PetscFunctionReturn(0);
}
