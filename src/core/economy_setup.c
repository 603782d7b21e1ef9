/* Creation of the distributed agent economy: partition, ghosts, exchanges. */

#include "core/economyimpl.h"

#include <walras/partition.h>

/* Out-edges of every agent as CSR over the scenario (entry edges left out). */
static PetscErrorCode BuildSuccessors(const WalrasScenario *sc, PetscInt **start, PetscInt **edge)
{
  PetscInt *fill;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(sc->A + 1, start));
  PetscCall(PetscMalloc1(sc->E + 1, edge));
  PetscCall(PetscCalloc1(sc->A, &fill));
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from >= 0) (*start)[sc->edges[e].from + 1]++;
  for (PetscInt a = 0; a < sc->A; a++) (*start)[a + 1] += (*start)[a];
  for (PetscInt e = 0; e < sc->E; e++) {
    PetscInt a = sc->edges[e].from;

    if (a >= 0) (*edge)[(*start)[a] + fill[a]++] = e;
  }
  PetscCall(PetscFree(fill));
  PetscFunctionReturn(0);
}

/* Height of every agent above the exits (0 for agents without successor),
   by a reverse topological sweep.  The scenario was validated acyclic. */
static PetscErrorCode ComputeHeights(const WalrasScenario *sc, const PetscInt *succ_start,
                                     const PetscInt *succ_edge, PetscInt *height, PetscInt *levels)
{
  PetscInt *pending, *queue, head = 0, tail = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(sc->A, &pending, sc->A, &queue));
  for (PetscInt a = 0; a < sc->A; a++) {
    pending[a] = succ_start[a + 1] - succ_start[a];
    height[a]  = 0;
    if (!pending[a]) queue[tail++] = a;
  }

  /* An agent is final once all its successors are: walk predecessors. */
  {
    PetscInt *pred_start, *pred, *fill;

    PetscCall(PetscCalloc1(sc->A + 1, &pred_start));
    PetscCall(PetscMalloc1(sc->E + 1, &pred));
    PetscCall(PetscCalloc1(sc->A, &fill));
    for (PetscInt e = 0; e < sc->E; e++)
      if (sc->edges[e].from >= 0) pred_start[sc->edges[e].to + 1]++;
    for (PetscInt a = 0; a < sc->A; a++) pred_start[a + 1] += pred_start[a];
    for (PetscInt e = 0; e < sc->E; e++)
      if (sc->edges[e].from >= 0) {
        PetscInt b = sc->edges[e].to;

        pred[pred_start[b] + fill[b]++] = sc->edges[e].from;
      }
    while (head < tail) {
      PetscInt b = queue[head++];

      for (PetscInt j = pred_start[b]; j < pred_start[b + 1]; j++) {
        PetscInt a = pred[j];

        height[a] = PetscMax(height[a], height[b] + 1);
        if (--pending[a] == 0) queue[tail++] = a;
      }
    }
    PetscCall(PetscFree(pred_start));
    PetscCall(PetscFree(pred));
    PetscCall(PetscFree(fill));
  }
  PetscCheck(tail == sc->A, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "the agent DAG has a cycle; validation should have caught it");

  *levels = 0;
  for (PetscInt a = 0; a < sc->A; a++) *levels = PetscMax(*levels, height[a] + 1);
  (void)succ_edge;
  PetscCall(PetscFree2(pending, queue));
  PetscFunctionReturn(0);
}

/* Partitions the agents and returns, replicated, the new global number of
   every scenario agent.
   Not yet scalable: every rank holds this array of A integers and the whole
   scenario; issue-3 style inputs read in parallel will remove both. */
static PetscErrorCode PartitionAgents(WalrasEconomy ec, const PetscInt *succ_start,
                                      const PetscInt *succ_edge, const PetscInt *height,
                                      PetscInt **new_of_scenario)
{
  const WalrasScenario *sc    = ec->scenario;
  PetscInt              nrows = PETSC_DECIDE, rstart = 0, *xadj, *adjncy, *weight, *level, nnz = 0;
  WalrasGraph           graph;
  IS                    owner, new_global, all;
  const PetscInt       *idx;
  PetscInt             *pred_count;

  PetscFunctionBegin;
  PetscInt A = sc->A;

  PetscCall(PetscSplitOwnership(ec->comm, &nrows, &A));
  PetscCallMPI(MPI_Exscan(&nrows, &rstart, 1, MPIU_INT, MPI_SUM, ec->comm));
  if (ec->rank == 0) rstart = 0;

  /* Undirected adjacency of the initial rows: successors and predecessors. */
  PetscCall(PetscCalloc1(sc->A, &pred_count));
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from >= 0) pred_count[sc->edges[e].to]++;
  PetscCall(PetscMalloc3(nrows + 1, &xadj, nrows, &weight, nrows, &level));
  xadj[0] = 0;
  for (PetscInt i = 0; i < nrows; i++) {
    PetscInt a = rstart + i;

    nnz += (succ_start[a + 1] - succ_start[a]) + pred_count[a];
    xadj[i + 1] = nnz;
  }
  PetscCall(PetscMalloc1(nnz + 1, &adjncy));
  {
    PetscInt *fill;

    PetscCall(PetscCalloc1(nrows, &fill));
    for (PetscInt e = 0; e < sc->E; e++) {
      PetscInt a = sc->edges[e].from, b = sc->edges[e].to;

      if (a < 0) continue;
      if (a >= rstart && a < rstart + nrows) adjncy[xadj[a - rstart] + fill[a - rstart]++] = b;
      if (b >= rstart && b < rstart + nrows) adjncy[xadj[b - rstart] + fill[b - rstart]++] = a;
    }
    PetscCall(PetscFree(fill));
  }
  for (PetscInt i = 0; i < nrows; i++) {
    PetscInt a = rstart + i;

    weight[i] = 1 + (succ_start[a + 1] - succ_start[a]);
    level[i]  = height[a];
  }

  graph.nlocal  = nrows;
  graph.nglobal = sc->A;
  graph.rstart  = rstart;
  graph.xadj    = xadj;
  graph.adjncy  = adjncy;
  graph.weight  = weight;
  graph.level   = level;
  PetscCall(WalrasPartitionCompute(ec->comm, &graph, ec->partition, &owner));
  PetscCall(WalrasPartitionRenumber(ec->comm, &graph, owner, &new_global, &ec->nlocal));
  {
    WalrasPartitionQuality q;

    PetscCall(WalrasPartitionMeasure(ec->comm, &graph, owner, &q));
    ec->cut_edges = q.cut_edges;
    ec->imbalance = q.imbalance;
  }

  /* Initial rows are contiguous in scenario order, so the gathered IS is
     indexed by scenario agent. */
  PetscCall(ISAllGather(new_global, &all));
  PetscCall(PetscMalloc1(sc->A, new_of_scenario));
  PetscCall(ISGetIndices(all, &idx));
  PetscCall(PetscArraycpy(*new_of_scenario, idx, sc->A));
  PetscCall(ISRestoreIndices(all, &idx));

  PetscCall(ISDestroy(&all));
  PetscCall(ISDestroy(&new_global));
  PetscCall(ISDestroy(&owner));
  PetscCall(PetscFree(adjncy));
  PetscCall(PetscFree3(xadj, weight, level));
  PetscCall(PetscFree(pred_count));
  (void)succ_edge;
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

/* Owner rank of new global agent g, by bisection over the ownership ranges. */
static PetscMPIInt OwnerOf(PetscMPIInt size, const PetscInt *ranges, PetscInt g)
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

/* Local agents, their successors (local slots or ghosts) and entry edges. */
static PetscErrorCode BuildLocalGraph(WalrasEconomy ec, const PetscInt *new_of_scenario,
                                      const PetscInt *succ_start, const PetscInt *succ_edge,
                                      const PetscInt *height_all, PetscInt **ghost_global,
                                      PetscInt **ghost_height)
{
  const WalrasScenario *sc     = ec->scenario;
  PetscInt              n_succ = 0, n_remote = 0, *remote;
  PetscReal             sigma = sc->sigma;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(ec->nlocal, &ec->scenario_index, ec->nlocal, &ec->height));
  for (PetscInt sa = 0; sa < sc->A; sa++) {
    PetscInt g = new_of_scenario[sa];

    if (g >= ec->astart && g < ec->astart + ec->nlocal) ec->scenario_index[g - ec->astart] = sa;
  }
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    PetscInt sa = ec->scenario_index[i];

    ec->height[i] = height_all[sa];
    n_succ += succ_start[sa + 1] - succ_start[sa];
  }

  /* Ghosts: successors owned elsewhere, numbered in increasing global order. */
  PetscCall(PetscMalloc1(n_succ + 1, &remote));
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    PetscInt sa = ec->scenario_index[i];

    for (PetscInt j = succ_start[sa]; j < succ_start[sa + 1]; j++) {
      PetscInt g = new_of_scenario[sc->edges[succ_edge[j]].to];

      if (g < ec->astart || g >= ec->astart + ec->nlocal) remote[n_remote++] = g;
    }
  }
  PetscCall(PetscSortRemoveDupsInt(&n_remote, remote));
  ec->nghost    = n_remote;
  *ghost_global = remote;
  PetscCall(PetscMalloc1(n_remote + 1, ghost_height));

  PetscCall(PetscMalloc4(ec->nlocal + 1, &ec->succ_start, n_succ + 1, &ec->succ_slot, n_succ + 1,
                         &ec->succ_weight, n_succ + 1, &ec->succ_edge));
  ec->succ_start[0] = 0;
  for (PetscInt i = 0, m = 0; i < ec->nlocal; i++) {
    PetscInt sa = ec->scenario_index[i];

    for (PetscInt j = succ_start[sa]; j < succ_start[sa + 1]; j++, m++) {
      const WalrasEdgeSpec *edge = &sc->edges[succ_edge[j]];
      PetscInt              g    = new_of_scenario[edge->to];

      if (g >= ec->astart && g < ec->astart + ec->nlocal)
        ec->succ_slot[m] = g - ec->astart;
      else {
        PetscInt gi = FindSorted(n_remote, remote, g);

        ec->succ_slot[m]    = ec->nlocal + gi;
        (*ghost_height)[gi] = height_all[edge->to];
      }
      /* At sigma = 1 the weights enter as exponents, otherwise as w^sigma. */
      ec->succ_weight[m] = sigma == 1.0 ? edge->weight : PetscPowReal(edge->weight, sigma);
      ec->succ_edge[m]   = succ_edge[j];
    }
    ec->succ_start[i + 1] = ec->succ_start[i] + (succ_start[sa + 1] - succ_start[sa]);
  }

  /* Entry edges go with the rank of their target. */
  ec->n_entry = 0;
  for (PetscInt e = 0; e < sc->E; e++) {
    PetscInt g = new_of_scenario[sc->edges[e].to];

    if (sc->edges[e].from < 0 && g >= ec->astart && g < ec->astart + ec->nlocal) ec->n_entry++;
  }
  PetscCall(PetscMalloc4(ec->n_entry + 1, &ec->entry_local, ec->n_entry + 1, &ec->entry_weight,
                         ec->n_entry + 1, &ec->entry_edge, ec->n_entry + 1, &ec->entry_tenant));
  for (PetscInt e = 0, m = 0; e < sc->E; e++) {
    PetscInt g = new_of_scenario[sc->edges[e].to];

    if (sc->edges[e].from >= 0 || g < ec->astart || g >= ec->astart + ec->nlocal) continue;
    ec->entry_local[m] = g - ec->astart;
    ec->entry_weight[m] =
        sigma == 1.0 ? sc->edges[e].weight : PetscPowReal(sc->edges[e].weight, sigma);
    ec->entry_tenant[m] = WalrasEntryTenant(sc->edges[e].from);
    ec->entry_edge[m++] = e;
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
  /* PETSc's SF reduces a contiguous type of one real with MPI_Reduce_local,
     which rejects MPI_SUM on a derived type: K = 1 uses the real itself. */
  if (ec->K == 1)
    ec->unit = MPIU_REAL;
  else {
    PetscCallMPI(MPI_Type_contiguous((PetscMPIInt)ec->K, MPIU_REAL, &ec->unit));
    PetscCallMPI(MPI_Type_commit(&ec->unit));
  }
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
      owner                = OwnerOf(ec->size, ranges, ghost_global[gi]);
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

/* Vectors, model data of local agents, work arrays. */
static PetscErrorCode BuildVectors(WalrasEconomy ec)
{
  const WalrasScenario *sc     = ec->scenario;
  PetscInt              n_flow = ec->succ_start[ec->nlocal] + ec->n_entry;

  PetscFunctionBegin;
  PetscCall(VecCreate(ec->comm, &ec->y));
  PetscCall(VecSetSizes(ec->y, ec->nlocal * ec->bs, PETSC_DETERMINE));
  PetscCall(VecSetBlockSize(ec->y, ec->bs));
  PetscCall(VecSetFromOptions(ec->y));
  PetscCall(VecDuplicate(ec->y, &ec->x));
  PetscCall(VecDuplicate(ec->y, &ec->p_last));

  PetscCall(PetscMalloc2(ec->nlocal + 1, &ec->gamma, ec->nlocal * ec->R + 1, &ec->d));
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    const WalrasAgentSpec *ag = &sc->agents[ec->scenario_index[i]];

    ec->gamma[i] = ag->gamma;
    for (PetscInt r = 0; r < ec->R; r++) ec->d[i * ec->R + r] = ag->require[r];
  }

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
  WalrasEconomy ec;
  PetscInt     *succ_start, *succ_edge, *height_all, *new_of_scenario, *ghost_height;
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

  PetscCall(BuildSuccessors(scenario, &succ_start, &succ_edge));
  PetscCall(PetscMalloc1(scenario->A, &height_all));
  if (scenario->level) {
    /* Heights from the arrays file, checked to fall along every edge. */
    ec->levels = 0;
    for (PetscInt a = 0; a < scenario->A; a++) {
      height_all[a] = scenario->level[a];
      ec->levels    = PetscMax(ec->levels, height_all[a] + 1);
    }
  } else
    PetscCall(ComputeHeights(scenario, succ_start, succ_edge, height_all, &ec->levels));
  PetscCall(PartitionAgents(ec, succ_start, succ_edge, height_all, &new_of_scenario));
  PetscCallMPI(MPI_Exscan(&ec->nlocal, &ec->astart, 1, MPIU_INT, MPI_SUM, comm));
  if (ec->rank == 0) ec->astart = 0;

  PetscCall(BuildLocalGraph(ec, new_of_scenario, succ_start, succ_edge, height_all, &ghost_global,
                            &ghost_height));
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
  PetscCall(PetscFree(new_of_scenario));
  PetscCall(PetscFree(height_all));
  PetscCall(PetscFree(succ_start));
  PetscCall(PetscFree(succ_edge));
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
  if (ec->unit != MPI_DATATYPE_NULL && ec->unit && ec->unit != MPIU_REAL)
    PetscCallMPI(MPI_Type_free(&ec->unit));
  PetscCall(VecDestroy(&ec->y));
  PetscCall(VecDestroy(&ec->x));
  PetscCall(VecDestroy(&ec->p_last));
  PetscCall(PetscFree2(ec->scenario_index, ec->height));
  PetscCall(PetscFree(ec->by_height));
  PetscCall(PetscFree(ec->level_start));
  PetscCall(PetscFree4(ec->succ_start, ec->succ_slot, ec->succ_weight, ec->succ_edge));
  PetscCall(PetscFree4(ec->entry_local, ec->entry_weight, ec->entry_edge, ec->entry_tenant));
  PetscCall(PetscFree2(ec->gamma, ec->d));
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
