/* Setup from the slices of an arrays scenario (docs/scale.md): no rank ever
   holds the whole DAG.  Star forests do all the moving:
   - links (scenario_slice.c): the slice's out-edges and entries to their
     targets' slices.  A gather over it gives each agent its predecessors
     for the partitioner; a broadcast gives each edge its target's new
     number and level;
   - agents: each slice agent to its place in the new numbering;
   - edges and entries: each to the new owner of its source (the
     orchestrator's entries: of their target), gathered root by root, which
     is the CSR of out-edges per agent. */

#include "core/economyimpl.h"

/* The partitioner's rows: the slice's agents with their successors and,
   gathered over the links, their predecessors. */
static PetscErrorCode BuildGraph(WalrasEconomy ec, PetscSF links, PetscInt **xadj_out,
                                 PetscInt **adjncy_out, PetscInt **weight_out)
{
  const WalrasScenarioSlice *s  = ec->scenario->slice;
  const PetscInt             ne = s->out_start[s->n];
  const PetscInt            *degree;
  PetscInt                  *source, *pred, *xadj, *adjncy, *weight, n_in = 0, nnz = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(ne + s->nq + 1, &source));
  for (PetscInt i = 0; i < s->n; i++)
    for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++) source[j] = s->a0 + i;
  for (PetscInt q = 0; q < s->nq; q++) source[ne + q] = -1; /* the orchestrator: not a row */
  PetscCall(PetscSFComputeDegreeBegin(links, &degree));
  PetscCall(PetscSFComputeDegreeEnd(links, &degree));
  for (PetscInt i = 0; i < s->n; i++) n_in += degree[i];
  PetscCall(PetscMalloc1(n_in + 1, &pred));
  PetscCall(PetscSFGatherBegin(links, MPIU_INT, source, pred));
  PetscCall(PetscSFGatherEnd(links, MPIU_INT, source, pred));

  PetscCall(PetscMalloc2(s->n + 1, &xadj, s->n + 1, &weight));
  PetscCall(PetscMalloc1(ne + n_in + 1, &adjncy));
  xadj[0] = 0;
  for (PetscInt i = 0, in = 0; i < s->n; i++) {
    for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++) adjncy[nnz++] = s->target[j];
    for (PetscInt d = 0; d < degree[i]; d++, in++)
      if (pred[in] >= 0) adjncy[nnz++] = pred[in];
    xadj[i + 1] = nnz;
    weight[i]   = 1 + (s->out_start[i + 1] - s->out_start[i]);
  }
  PetscCall(PetscFree(pred));
  PetscCall(PetscFree(source));

  *xadj_out   = xadj;
  *adjncy_out = adjncy;
  *weight_out = weight;
  PetscFunctionReturn(0);
}

/* Root i of the new numbering for new global number g. */
static PetscSFNode PlaceOf(PetscMPIInt size, const PetscInt *ranges, PetscInt g)
{
  PetscSFNode node;

  node.rank  = WalrasRangeOwner(size, ranges, g);
  node.index = g - ranges[node.rank];
  return node;
}

#define MOVE(sf, type, from, to)                                                                   \
  do {                                                                                             \
    PetscCall(PetscSFReduceBegin(sf, type, from, to, MPI_REPLACE));                                \
    PetscCall(PetscSFReduceEnd(sf, type, from, to, MPI_REPLACE));                                  \
  } while (0)

/* Each slice agent's record to its new owner (a permutation). */
static PetscErrorCode MoveAgents(WalrasEconomy ec, PetscSF agents, WalrasOwnedAgents *own)
{
  const WalrasScenarioSlice *s = ec->scenario->slice;
  const PetscInt             n = own->n;
  PetscInt                  *index;
  MPI_Datatype               require, cap;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(s->n + 1, &index));
  for (PetscInt i = 0; i < s->n; i++) index[i] = s->a0 + i;
  PetscCall(PetscMalloc1(n + 1, &own->scenario_index));
  PetscCall(PetscMalloc1(n + 1, &own->height));
  PetscCall(PetscMalloc1(n + 1, &own->kind));
  PetscCall(PetscMalloc1(n + 1, &own->gamma));
  PetscCall(PetscMalloc1(n * ec->R + 1, &own->require));
  PetscCall(PetscMalloc1((size_t)n * ec->bs + 1, &own->cap));
  MOVE(agents, MPIU_INT, index, own->scenario_index);
  MOVE(agents, MPIU_INT, s->level, own->height);
  MOVE(agents, MPIU_INT, s->kind, own->kind);
  MOVE(agents, MPIU_REAL, s->gamma, own->gamma);
  PetscCall(WalrasRealsType(ec->R, &require));
  MOVE(agents, require, s->require, own->require);
  PetscCall(WalrasRealsTypeFree(&require));
  PetscCall(WalrasRealsType(ec->bs, &cap));
  MOVE(agents, cap, s->cap, own->cap);
  PetscCall(WalrasRealsTypeFree(&cap));
  PetscCall(PetscFree(index));
  PetscFunctionReturn(0);
}

/* Sorts items [start, end) of a root's gathered block by scenario edge
   number (ints[0]), so the order does not depend on the ranks the items
   came from. */
static PetscErrorCode SortByEdge(PetscInt start, PetscInt end, PetscInt *perm, PetscInt *ibuf,
                                 PetscReal *rbuf, PetscInt *const *ints, int n_ints,
                                 PetscReal *reals)
{
  const PetscInt n = end - start;

  PetscFunctionBegin;
  if (n < 2) PetscFunctionReturn(0);
  for (PetscInt j = 0; j < n; j++) perm[j] = start + j, ibuf[j] = ints[0][start + j];
  PetscCall(PetscSortIntWithArray(n, ibuf, perm));
  for (int a = 0; a < n_ints; a++) {
    for (PetscInt j = 0; j < n; j++) ibuf[j] = ints[a][perm[j]];
    PetscCall(PetscArraycpy(ints[a] + start, ibuf, n));
  }
  for (PetscInt j = 0; j < n; j++) rbuf[j] = reals[perm[j]];
  PetscCall(PetscArraycpy(reals + start, rbuf, n));
  PetscFunctionReturn(0);
}

/* Gathers leaf items of sf into root-major blocks: start (n_root + 1, from
   the root degrees) and the items, each block sorted by its edge numbers,
   which are the first of the int arrays. */
static PetscErrorCode GatherItems(PetscSF sf, PetscInt n_root, PetscInt *start,
                                  const PetscInt *const *leaf_ints, PetscInt *const *root_ints,
                                  int n_ints, const PetscReal *leaf_real, PetscReal *root_real)
{
  const PetscInt *degree;
  PetscInt        most = 0, *perm, *ibuf;
  PetscReal      *rbuf;

  PetscFunctionBegin;
  PetscCall(PetscSFComputeDegreeBegin(sf, &degree));
  PetscCall(PetscSFComputeDegreeEnd(sf, &degree));
  start[0] = 0;
  for (PetscInt i = 0; i < n_root; i++) {
    start[i + 1] = start[i] + degree[i];
    most         = PetscMax(most, degree[i]);
  }
  for (int a = 0; a < n_ints; a++) {
    PetscCall(PetscSFGatherBegin(sf, MPIU_INT, leaf_ints[a], root_ints[a]));
    PetscCall(PetscSFGatherEnd(sf, MPIU_INT, leaf_ints[a], root_ints[a]));
  }
  PetscCall(PetscSFGatherBegin(sf, MPIU_REAL, leaf_real, root_real));
  PetscCall(PetscSFGatherEnd(sf, MPIU_REAL, leaf_real, root_real));
  PetscCall(PetscMalloc3(most + 1, &perm, most + 1, &ibuf, most + 1, &rbuf));
  for (PetscInt i = 0; i < n_root; i++)
    PetscCall(SortByEdge(start[i], start[i + 1], perm, ibuf, rbuf, root_ints, n_ints, root_real));
  PetscCall(PetscFree3(perm, ibuf, rbuf));
  PetscFunctionReturn(0);
}

/* A star forest from n leaves to the places new numbers g[] take. */
static PetscErrorCode PlaceSF(MPI_Comm comm, PetscInt n_root, PetscInt n, const PetscInt *g,
                              const PetscInt *ranges, PetscSF *sf)
{
  PetscSFNode *iremote;
  PetscMPIInt  size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc1(n + 1, &iremote));
  for (PetscInt j = 0; j < n; j++) iremote[j] = PlaceOf(size, ranges, g[j]);
  PetscCall(PetscSFCreate(comm, sf));
  PetscCall(PetscSFSetGraph(*sf, n_root, n, NULL, PETSC_COPY_VALUES, iremote, PETSC_OWN_POINTER));
  PetscCall(PetscSFSetUp(*sf));
  PetscFunctionReturn(0);
}

/* Out-edges to the owner of their source, entries to the owner of their
   target; tnew and tlevel hold each link's target new number and level. */
static PetscErrorCode MoveLinks(WalrasEconomy ec, const PetscInt *new_global, const PetscInt *tnew,
                                const PetscInt *tlevel, const PetscInt *ranges,
                                WalrasOwnedAgents *own)
{
  const WalrasScenarioSlice *s  = ec->scenario->slice;
  const PetscInt             ne = s->out_start[s->n];
  PetscInt                  *src_new, *edge, *zero, m;
  PetscSF                    edges, entries;

  PetscFunctionBegin;
  PetscCall(PetscMalloc3(ne + s->nq + 1, &src_new, ne + s->nq + 1, &edge, s->nq + 1, &zero));
  for (PetscInt i = 0; i < s->n; i++)
    for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++) {
      src_new[j] = new_global[i];
      edge[j]    = s->n_entry + s->e0 + j;
    }
  for (PetscInt q = 0; q < s->nq; q++) edge[ne + q] = s->q0 + q, zero[q] = 0;

  PetscCall(PlaceSF(ec->comm, own->n, ne, src_new, ranges, &edges));
  PetscCall(PetscMalloc1(own->n + 1, &own->out_start));
  {
    const PetscInt *degree;

    PetscCall(PetscSFComputeDegreeBegin(edges, &degree));
    PetscCall(PetscSFComputeDegreeEnd(edges, &degree));
    m = 0;
    for (PetscInt i = 0; i < own->n; i++) m += degree[i];
  }
  PetscCall(PetscMalloc1(m + 1, &own->target));
  PetscCall(PetscMalloc1(m + 1, &own->target_height));
  PetscCall(PetscMalloc1(m + 1, &own->target_scenario));
  PetscCall(PetscMalloc1(m + 1, &own->edge));
  PetscCall(PetscMalloc1(m + 1, &own->weight));
  {
    const PetscInt *leaf[] = {edge, tnew, tlevel, s->target};
    PetscInt *const root[] = {own->edge, own->target, own->target_height, own->target_scenario};

    PetscCall(GatherItems(edges, own->n, own->out_start, leaf, root, 4, s->weight, own->weight));
  }
  PetscCall(PetscSFDestroy(&edges));

  PetscCall(PlaceSF(ec->comm, own->n, s->nq, tnew + ne, ranges, &entries));
  {
    const PetscInt *degree;
    PetscInt       *start;

    PetscCall(PetscSFComputeDegreeBegin(entries, &degree));
    PetscCall(PetscSFComputeDegreeEnd(entries, &degree));
    m = 0;
    for (PetscInt i = 0; i < own->n; i++) m += degree[i];
    own->n_entry = m;
    PetscCall(PetscMalloc1(m + 1, &own->entry_local));
    PetscCall(PetscMalloc1(m + 1, &own->entry_tenant));
    PetscCall(PetscMalloc1(m + 1, &own->entry_edge));
    PetscCall(PetscMalloc1(m + 1, &own->entry_weight));
    PetscCall(PetscMalloc1(own->n + 1, &start));
    {
      const PetscInt *leaf[] = {edge + ne, zero};
      PetscInt *const root[] = {own->entry_edge, own->entry_tenant};

      PetscCall(
          GatherItems(entries, own->n, start, leaf, root, 2, s->entry_weight, own->entry_weight));
    }
    for (PetscInt i = 0; i < own->n; i++)
      for (PetscInt j = start[i]; j < start[i + 1]; j++) own->entry_local[j] = i;
    PetscCall(PetscFree(start));
  }
  PetscCall(PetscSFDestroy(&entries));
  PetscCall(PetscFree3(src_new, edge, zero));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyOwnSlices(WalrasEconomy ec, WalrasOwnedAgents *own)
{
  const WalrasScenarioSlice *s  = ec->scenario->slice;
  const PetscInt             ne = s->out_start[s->n];
  PetscSF                    links, agents;
  WalrasGraph                graph;
  IS                         new_global_is;
  const PetscInt            *new_global;
  PetscInt                  *ranges, *tnew, *tlevel, *xadj, *adjncy, *weight, top = -1;

  PetscFunctionBegin;
  PetscCheck(!s->released, ec->comm, PETSC_ERR_ARG_WRONGSTATE,
             "the scenario's slice was released: create the economy before "
             "WalrasScenarioReleaseSlice()");
  for (PetscInt i = 0; i < s->n; i++) top = PetscMax(top, s->level[i]);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &top, 1, MPIU_INT, MPI_MAX, ec->comm));
  ec->levels = top + 1;

  PetscCall(WalrasScenarioSliceLinks(ec->comm, ec->scenario, &links));
  PetscCall(BuildGraph(ec, links, &xadj, &adjncy, &weight));
  graph.nlocal  = s->n;
  graph.nglobal = ec->A;
  graph.rstart  = s->a0;
  graph.xadj    = xadj;
  graph.adjncy  = adjncy;
  graph.weight  = weight;
  graph.level   = s->level;
  PetscCall(WalrasEconomyPartition(ec, &graph, &new_global_is));
  PetscCall(PetscFree2(xadj, weight));
  PetscCall(PetscFree(adjncy));
  PetscCall(ISGetIndices(new_global_is, &new_global));
  own->n = ec->nlocal;
  PetscCall(PetscMalloc1(ec->size + 1, &ranges));
  PetscCallMPI(MPI_Allgather(&ec->astart, 1, MPIU_INT, ranges, 1, MPIU_INT, ec->comm));
  ranges[ec->size] = ec->A;

  /* Each link's target: its new number and its level. */
  PetscCall(PetscMalloc2(ne + s->nq + 1, &tnew, ne + s->nq + 1, &tlevel));
  PetscCall(PetscSFBcastBegin(links, MPIU_INT, new_global, tnew, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(links, MPIU_INT, new_global, tnew, MPI_REPLACE));
  PetscCall(PetscSFBcastBegin(links, MPIU_INT, s->level, tlevel, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(links, MPIU_INT, s->level, tlevel, MPI_REPLACE));
  PetscCall(PetscSFDestroy(&links));

  PetscCall(PlaceSF(ec->comm, own->n, s->n, new_global, ranges, &agents));
  PetscCall(MoveAgents(ec, agents, own));
  PetscCall(PetscSFDestroy(&agents));
  PetscCall(MoveLinks(ec, new_global, tnew, tlevel, ranges, own));

  PetscCall(PetscFree2(tnew, tlevel));
  PetscCall(PetscFree(ranges));
  PetscCall(ISRestoreIndices(new_global_is, &new_global));
  PetscCall(ISDestroy(&new_global_is));
  PetscFunctionReturn(0);
}
