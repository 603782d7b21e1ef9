/* Setup from a scenario held whole on every rank (YAML files: tens to
   thousands of agents).  Each rank builds the partitioner's rows of its
   initial block from the replicated edge list and keeps what it owns
   afterwards.  Scenarios too large to replicate come from an arrays file
   and economy_distribute.c. */

#include "core/economyimpl.h"

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
                                     PetscInt *height, PetscInt *levels)
{
  PetscInt *pending, *queue, *pred_start, *pred, *fill, head = 0, tail = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(sc->A, &pending, sc->A, &queue));
  for (PetscInt a = 0; a < sc->A; a++) {
    pending[a] = succ_start[a + 1] - succ_start[a];
    height[a]  = 0;
    if (!pending[a]) queue[tail++] = a;
  }

  /* An agent is final once all its successors are: walk predecessors. */
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
  PetscCheck(tail == sc->A, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "the agent DAG has a cycle; validation should have caught it");

  *levels = 0;
  for (PetscInt a = 0; a < sc->A; a++) *levels = PetscMax(*levels, height[a] + 1);
  PetscCall(PetscFree2(pending, queue));
  PetscFunctionReturn(0);
}

/* Partitions the agents and returns, replicated, the new global number of
   every scenario agent (A integers: fine for a scenario that is itself
   replicated). */
static PetscErrorCode PartitionAgents(WalrasEconomy ec, const PetscInt *succ_start,
                                      const PetscInt *height, PetscInt **new_of_scenario)
{
  const WalrasScenario *sc    = ec->scenario;
  PetscInt              nrows = PETSC_DECIDE, rstart = 0, *xadj, *adjncy, *weight, *level, nnz = 0;
  PetscInt              A = sc->A, *pred_count, *fill;
  WalrasGraph           graph;
  IS                    new_global, all;
  const PetscInt       *idx;

  PetscFunctionBegin;
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
  PetscCall(PetscCalloc1(nrows, &fill));
  for (PetscInt e = 0; e < sc->E; e++) {
    PetscInt a = sc->edges[e].from, b = sc->edges[e].to;

    if (a < 0) continue;
    if (a >= rstart && a < rstart + nrows) adjncy[xadj[a - rstart] + fill[a - rstart]++] = b;
    if (b >= rstart && b < rstart + nrows) adjncy[xadj[b - rstart] + fill[b - rstart]++] = a;
  }
  PetscCall(PetscFree(fill));
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
  PetscCall(WalrasEconomyPartition(ec, &graph, &new_global));

  /* Initial rows are contiguous in scenario order, so the gathered IS is
     indexed by scenario agent. */
  PetscCall(ISAllGather(new_global, &all));
  PetscCall(PetscMalloc1(sc->A, new_of_scenario));
  PetscCall(ISGetIndices(all, &idx));
  PetscCall(PetscArraycpy(*new_of_scenario, idx, sc->A));
  PetscCall(ISRestoreIndices(all, &idx));

  PetscCall(ISDestroy(&all));
  PetscCall(ISDestroy(&new_global));
  PetscCall(PetscFree(adjncy));
  PetscCall(PetscFree3(xadj, weight, level));
  PetscCall(PetscFree(pred_count));
  PetscFunctionReturn(0);
}

/* This rank's agents, their out-edges and the entries into them. */
static PetscErrorCode FillOwned(WalrasEconomy ec, const PetscInt *new_of_scenario,
                                const PetscInt *succ_start, const PetscInt *succ_edge,
                                const PetscInt *height_all, WalrasOwnedAgents *own)
{
  const WalrasScenario *sc = ec->scenario;
  const PetscInt        n = ec->nlocal, R = ec->R, bs = ec->bs;
  PetscInt              m = 0;

  PetscFunctionBegin;
  own->n = n;
  PetscCall(PetscMalloc1(n + 1, &own->scenario_index));
  PetscCall(PetscMalloc1(n + 1, &own->height));
  PetscCall(PetscMalloc1(n + 1, &own->kind));
  PetscCall(PetscMalloc1(n + 1, &own->gamma));
  PetscCall(PetscMalloc1(n * R + 1, &own->require));
  PetscCall(PetscMalloc1((size_t)n * bs + 1, &own->cap));
  PetscCall(PetscMalloc1(n + 1, &own->out_start));
  for (PetscInt sa = 0; sa < sc->A; sa++) {
    PetscInt g = new_of_scenario[sa];

    if (g >= ec->astart && g < ec->astart + n) own->scenario_index[g - ec->astart] = sa;
  }
  own->out_start[0] = 0;
  for (PetscInt i = 0; i < n; i++) {
    PetscInt               sa = own->scenario_index[i];
    const WalrasAgentSpec *ag = &sc->agents[sa];

    own->height[i] = height_all[sa];
    own->kind[i]   = ag->kind;
    own->gamma[i]  = ag->gamma;
    PetscCall(PetscArraycpy(own->require + i * R, ag->require, R));
    PetscCall(PetscArraycpy(own->cap + (size_t)i * bs, ag->cap, bs));
    own->out_start[i + 1] = own->out_start[i] + succ_start[sa + 1] - succ_start[sa];
  }

  PetscCall(PetscMalloc1(own->out_start[n] + 1, &own->target));
  PetscCall(PetscMalloc1(own->out_start[n] + 1, &own->target_height));
  PetscCall(PetscMalloc1(own->out_start[n] + 1, &own->target_scenario));
  PetscCall(PetscMalloc1(own->out_start[n] + 1, &own->edge));
  PetscCall(PetscMalloc1(own->out_start[n] + 1, &own->weight));
  for (PetscInt i = 0; i < n; i++) {
    PetscInt sa = own->scenario_index[i];

    for (PetscInt j = succ_start[sa]; j < succ_start[sa + 1]; j++, m++) {
      const WalrasEdgeSpec *edge = &sc->edges[succ_edge[j]];

      own->target[m]          = new_of_scenario[edge->to];
      own->target_height[m]   = height_all[edge->to];
      own->target_scenario[m] = edge->to;
      own->edge[m]            = succ_edge[j];
      own->weight[m]          = edge->weight;
    }
  }

  /* Entry edges go with the rank of their target. */
  own->n_entry = 0;
  for (PetscInt e = 0; e < sc->E; e++) {
    PetscInt g = new_of_scenario[sc->edges[e].to];

    if (sc->edges[e].from < 0 && g >= ec->astart && g < ec->astart + n) own->n_entry++;
  }
  PetscCall(PetscMalloc1(own->n_entry + 1, &own->entry_local));
  PetscCall(PetscMalloc1(own->n_entry + 1, &own->entry_tenant));
  PetscCall(PetscMalloc1(own->n_entry + 1, &own->entry_edge));
  PetscCall(PetscMalloc1(own->n_entry + 1, &own->entry_weight));
  m = 0;
  for (PetscInt e = 0; e < sc->E; e++) {
    PetscInt g = new_of_scenario[sc->edges[e].to];

    if (sc->edges[e].from >= 0 || g < ec->astart || g >= ec->astart + n) continue;
    own->entry_local[m]  = g - ec->astart;
    own->entry_tenant[m] = WalrasEntryTenant(sc->edges[e].from);
    own->entry_edge[m]   = e;
    own->entry_weight[m] = sc->edges[e].weight;
    m++;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyOwnReplicated(WalrasEconomy ec, WalrasOwnedAgents *own)
{
  const WalrasScenario *sc = ec->scenario;
  PetscInt             *succ_start, *succ_edge, *height_all, *new_of_scenario;

  PetscFunctionBegin;
  PetscCall(BuildSuccessors(sc, &succ_start, &succ_edge));
  PetscCall(PetscMalloc1(sc->A, &height_all));
  PetscCall(ComputeHeights(sc, succ_start, height_all, &ec->levels));
  PetscCall(PartitionAgents(ec, succ_start, height_all, &new_of_scenario));
  PetscCall(FillOwned(ec, new_of_scenario, succ_start, succ_edge, height_all, own));
  PetscCall(PetscFree(new_of_scenario));
  PetscCall(PetscFree(height_all));
  PetscCall(PetscFree(succ_start));
  PetscCall(PetscFree(succ_edge));
  PetscFunctionReturn(0);
}
