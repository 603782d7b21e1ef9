/* Entry points of the partitioning module: the dispatch on the partitioner's
   name, the renumbering that follows a partition, and its quality measure. */
#include "partition_impl.h"

static const char *const partition_types[] = {"block", "scotch", "level"};

PetscErrorCode WalrasGraphCheck_Private(MPI_Comm comm, const WalrasGraph *graph)
{
  PetscInt64  n = graph->nlocal, start = 0, total = 0;
  int         bad[4] = {0, 0, 0, 0}, anybad[4];
  PetscMPIInt rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Exscan(&n, &start, 1, MPIU_INT64, MPI_SUM, comm));
  if (rank == 0) start = 0;
  PetscCallMPI(MPI_Allreduce(&n, &total, 1, MPIU_INT64, MPI_SUM, comm));
  if (n < 0 || start != graph->rstart || total != graph->nglobal) bad[0] = 1;
  if (n > 0 && (!graph->xadj || graph->xadj[0] != 0)) bad[1] = 1;

  /* each rank looks at its own rows only; the verdict is agreed below */
  for (PetscInt i = 0; i < graph->nlocal && !bad[1]; i++) {
    if (graph->xadj[i + 1] < graph->xadj[i]) bad[1] = 1;
    for (PetscInt e = graph->xadj[i]; e < graph->xadj[i + 1] && !bad[1]; e++)
      if (graph->adjncy[e] < 0 || graph->adjncy[e] >= graph->nglobal) bad[1] = 1;
  }
  for (PetscInt i = 0; i < graph->nlocal; i++) {
    if (WalrasGraphWeight(graph, i) < 1) bad[2] = 1;
    if (WalrasGraphLevel(graph, i) < 0) bad[3] = 1;
  }
  PetscCallMPI(MPI_Allreduce(bad, anybad, 4, MPI_INT, MPI_MAX, comm));
  WalrasCheckInput(!anybad[0], "partition: the rows of the graph do not tile the agents (nlocal, "
                               "rstart and nglobal disagree between ranks)");
  WalrasCheckInput(!anybad[1], "partition: the adjacency is malformed (xadj not increasing from 0, "
                               "or a neighbour outside [0, nglobal))");
  WalrasCheckInput(!anybad[2], "partition: every agent's work weight must be at least 1");
  WalrasCheckInput(!anybad[3], "partition: every agent's level must be at least 0");
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasGraphNeighbourSF_Private(MPI_Comm comm, const WalrasGraph *graph, PetscSF *sf)
{
  PetscLayout layout;
  PetscInt    nedges = graph->nlocal > 0 ? graph->xadj[graph->nlocal] : 0;

  PetscFunctionBegin;
  PetscCall(PetscLayoutCreateFromSizes(comm, graph->nlocal, graph->nglobal, 1, &layout));
  PetscCall(PetscSFCreate(comm, sf));
  PetscCall(PetscSFSetGraphLayout(*sf, layout, nedges, NULL, PETSC_COPY_VALUES, graph->adjncy));
  PetscCall(PetscLayoutDestroy(&layout));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasPartitionCompute(MPI_Comm comm, const WalrasGraph *graph, const char *type,
                                      IS *owner)
{
  PetscInt   *own, k, ntypes = (PetscInt)PETSC_STATIC_ARRAY_LENGTH(partition_types);
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCheck(graph && type && owner, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL,
             "WalrasPartitionCompute: graph, type and owner must not be NULL");
  for (k = 0; k < ntypes; k++)
    if (!strcmp(type, partition_types[k])) break;
  WalrasCheckInput(k < ntypes,
                   "-walras_partition: unknown partitioner '%s' (expected one of: block, "
                   "scotch, level)",
                   type);
  PetscCall(WalrasGraphCheck_Private(comm, graph));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscInfo(NULL, "partitioning %" PetscInt_FMT " agents over %d ranks with '%s'\n",
                      graph->nglobal, size, type));

  PetscCall(PetscMalloc1(graph->nlocal, &own));
  switch (k) {
  case 0:
    PetscCall(WalrasPartitionBlock_Private(comm, graph, own));
    break;
  case 1:
    PetscCall(WalrasPartitionScotch_Private(comm, graph, own));
    break;
  default:
    PetscCall(WalrasPartitionLevel_Private(comm, graph, own));
    break;
  }
  PetscCall(ISCreateGeneral(comm, graph->nlocal, own, PETSC_OWN_POINTER, owner));
  PetscFunctionReturn(0);
}

/* ISPartitioningToNumbering() numbers the agents of part q after all those of
   parts < q, and inside part q by (old rank, old local position), which is
   the old global order: exactly the contract.  Its cost is two reductions of
   one integer per rank (the part sizes), as is ISPartitioningCount(). */
PetscErrorCode WalrasPartitionRenumber(MPI_Comm comm, const WalrasGraph *graph, IS owner,
                                       IS *new_global, PetscInt *nlocal_new)
{
  PetscMPIInt     size, rank;
  PetscInt        n, *counts;
  const PetscInt *own;
  int             bad = 0, anybad;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(ISGetLocalSize(owner, &n));
  PetscCall(ISGetIndices(owner, &own));
  if (n != graph->nlocal) bad = 1;
  for (PetscInt i = 0; i < n; i++)
    if (own[i] < 0 || own[i] >= size) bad = 1;
  PetscCall(ISRestoreIndices(owner, &own));
  PetscCallMPI(MPI_Allreduce(&bad, &anybad, 1, MPI_INT, MPI_MAX, comm));
  WalrasCheckInput(!anybad, "partition: the owner IS must give every local row a rank in "
                            "[0, size)");

  PetscCall(PetscMalloc1(size, &counts));
  PetscCall(ISPartitioningCount(owner, size, counts));
  *nlocal_new = counts[rank];
  PetscCall(PetscFree(counts));
  PetscCall(ISPartitioningToNumbering(owner, new_global));
  PetscFunctionReturn(0);
}

/* Cut edges: each rank counts the edges (i, j) with i < j whose ends have
   different owners, so both stored directions of an edge count once. */
static PetscErrorCode CountCutEdges(MPI_Comm comm, const WalrasGraph *graph, const PetscInt own[],
                                    PetscInt *cut_edges)
{
  PetscSF    sf;
  PetscInt  *nbown, nedges = graph->nlocal > 0 ? graph->xadj[graph->nlocal] : 0;
  PetscInt64 cut = 0, total;

  PetscFunctionBegin;
  PetscCall(WalrasGraphNeighbourSF_Private(comm, graph, &sf));
  PetscCall(PetscMalloc1(nedges, &nbown));
  PetscCall(PetscSFBcastBegin(sf, MPIU_INT, own, nbown, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(sf, MPIU_INT, own, nbown, MPI_REPLACE));
  for (PetscInt i = 0; i < graph->nlocal; i++)
    for (PetscInt e = graph->xadj[i]; e < graph->xadj[i + 1]; e++)
      if (graph->adjncy[e] > graph->rstart + i && nbown[e] != own[i]) cut++;
  PetscCallMPI(MPI_Allreduce(&cut, &total, 1, MPIU_INT64, MPI_SUM, comm));
  *cut_edges = (PetscInt)total;
  PetscCall(PetscFree(nbown));
  PetscCall(PetscSFDestroy(&sf));
  PetscFunctionReturn(0);
}

/* Sends each agent's weight and level to its new owner (a star forest from
   the old rows to the new ones), where work and distinct levels are counted. */
static PetscErrorCode MeasureAtOwners(MPI_Comm comm, const WalrasGraph *graph, IS owner,
                                      WalrasPartitionQuality *quality)
{
  IS              newnum;
  PetscInt        nnew, *w, *lev, *rw, *rlev, nlev = 0;
  const PetscInt *idx;
  PetscLayout     layout;
  PetscSF         sf;
  PetscInt64      mine[4] = {0, 0, 0, 0}, most[4], work_total = 0;
  PetscMPIInt     size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(WalrasPartitionRenumber(comm, graph, owner, &newnum, &nnew));
  PetscCall(PetscLayoutCreateFromSizes(comm, nnew, graph->nglobal, 1, &layout));
  PetscCall(PetscSFCreate(comm, &sf));
  PetscCall(ISGetIndices(newnum, &idx));
  PetscCall(PetscSFSetGraphLayout(sf, layout, graph->nlocal, NULL, PETSC_COPY_VALUES, idx));
  PetscCall(ISRestoreIndices(newnum, &idx));

  PetscCall(PetscMalloc4(graph->nlocal, &w, graph->nlocal, &lev, nnew, &rw, nnew, &rlev));
  for (PetscInt i = 0; i < graph->nlocal; i++) {
    w[i]   = WalrasGraphWeight(graph, i);
    lev[i] = WalrasGraphLevel(graph, i);
  }
  PetscCall(PetscSFReduceBegin(sf, MPIU_INT, w, rw, MPI_REPLACE));
  PetscCall(PetscSFReduceEnd(sf, MPIU_INT, w, rw, MPI_REPLACE));
  PetscCall(PetscSFReduceBegin(sf, MPIU_INT, lev, rlev, MPI_REPLACE));
  PetscCall(PetscSFReduceEnd(sf, MPIU_INT, lev, rlev, MPI_REPLACE));

  /* mine = {work, distinct levels, -distinct levels, highest level} */
  PetscCall(PetscSortInt(nnew, rlev));
  for (PetscInt i = 0; i < nnew; i++) {
    mine[0] += rw[i];
    if (i == 0 || rlev[i] != rlev[i - 1]) nlev++;
  }
  mine[1] = nlev;
  mine[2] = -nlev;
  mine[3] = nnew > 0 ? rlev[nnew - 1] : 0;
  PetscCallMPI(MPI_Allreduce(mine, most, 4, MPIU_INT64, MPI_MAX, comm));
  PetscCallMPI(MPI_Allreduce(&mine[0], &work_total, 1, MPIU_INT64, MPI_SUM, comm));
  quality->imbalance  = work_total > 0 ? (PetscReal)most[0] * size / (PetscReal)work_total : 1.0;
  quality->max_levels = (PetscInt)most[1];
  quality->min_levels = (PetscInt)-most[2];
  quality->nlevels    = (PetscInt)most[3] + 1;

  PetscCall(PetscFree4(w, lev, rw, rlev));
  PetscCall(PetscSFDestroy(&sf));
  PetscCall(PetscLayoutDestroy(&layout));
  PetscCall(ISDestroy(&newnum));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasPartitionMeasure(MPI_Comm comm, const WalrasGraph *graph, IS owner,
                                      WalrasPartitionQuality *quality)
{
  const PetscInt *own;
  PetscInt        n;

  PetscFunctionBegin;
  PetscCheck(graph && quality, PETSC_COMM_SELF, PETSC_ERR_ARG_NULL,
             "WalrasPartitionMeasure: graph and quality must not be NULL");
  PetscCall(WalrasGraphCheck_Private(comm, graph));
  PetscCall(MeasureAtOwners(comm, graph, owner, quality));
  PetscCall(ISGetLocalSize(owner, &n));
  PetscCall(ISGetIndices(owner, &own));
  PetscCall(CountCutEdges(comm, graph, own, &quality->cut_edges));
  PetscCall(ISRestoreIndices(owner, &own));
  PetscFunctionReturn(0);
}
