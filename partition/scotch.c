/* The scotch partitioner: minimum edge cut under a work balance constraint,
   computed by PT-Scotch through PETSc's MatPartitioning on the distributed
   adjacency (MATMPIADJ), so no rank holds more than its own rows. */
#include "partition_impl.h"
#include <petscmat.h>

/* MATMPIADJ wants each row sorted, without its diagonal and without repeated
   columns (PT-Scotch rejects multi-edges); copies the rows into that form.
   *ia and *ja are PetscMalloc'ed for MatCreateMPIAdj(), which takes them. */
static PetscErrorCode CleanAdjacency(const WalrasGraph *graph, PetscInt **ia, PetscInt **ja)
{
  PetscInt n = graph->nlocal, nedges = n > 0 ? graph->xadj[n] : 0, kept = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n + 1, ia));
  PetscCall(PetscMalloc1(PetscMax(nedges, 1), ja));
  (*ia)[0] = 0;
  for (PetscInt i = 0; i < n; i++) {
    PetscInt row = graph->rstart + i, first = kept, len;

    for (PetscInt e = graph->xadj[i]; e < graph->xadj[i + 1]; e++)
      if (graph->adjncy[e] != row) (*ja)[kept++] = graph->adjncy[e];
    len = kept - first;
    PetscCall(PetscSortRemoveDupsInt(&len, *ja + first));
    kept         = first + len;
    (*ia)[i + 1] = kept;
  }
  PetscFunctionReturn(0);
}

/* PT-Scotch on comm, every rank of which holds at least one row. */
static PetscErrorCode ScotchOnComm(MPI_Comm comm, const WalrasGraph *graph, PetscInt nparts,
                                   PetscInt owner[])
{
  PetscInt       *ia, *ja, *vw;
  Mat             adj;
  MatPartitioning part;
  IS              is;
  const PetscInt *idx;

  PetscFunctionBegin;
  PetscCall(CleanAdjacency(graph, &ia, &ja));
  PetscCall(MatCreateMPIAdj(comm, graph->nlocal, graph->nglobal, ia, ja, NULL, &adj));
  PetscCall(MatPartitioningCreate(comm, &part));
  PetscCall(PetscObjectSetOptionsPrefix((PetscObject)part, "walras_"));
  PetscCall(MatPartitioningSetAdjacency(part, adj));
  PetscCall(MatPartitioningSetType(part, MATPARTITIONINGPTSCOTCH));
  PetscCall(MatPartitioningSetNParts(part, nparts));
  if (graph->weight) { /* the partitioning takes ownership of vw */
    PetscCall(PetscMalloc1(graph->nlocal, &vw));
    PetscCall(PetscArraycpy(vw, graph->weight, graph->nlocal));
    PetscCall(MatPartitioningSetVertexWeights(part, vw));
  }
  /* -walras_mat_partitioning_ptscotch_imbalance etc. tune PT-Scotch */
  PetscCall(MatPartitioningSetFromOptions(part));

  PetscCall(MatPartitioningApply(part, &is));
  PetscCall(ISGetIndices(is, &idx));
  PetscCall(PetscArraycpy(owner, idx, graph->nlocal));
  PetscCall(ISRestoreIndices(is, &idx));
  PetscCall(ISDestroy(&is));
  PetscCall(MatPartitioningDestroy(&part));
  PetscCall(MatDestroy(&adj));
  PetscFunctionReturn(0);
}

/* PT-Scotch rejects a distributed graph with a rank that holds no vertex
   ("dgraphBuild3: inconsistent parameters"), so when some rank is empty the
   others partition on a communicator of their own, still into one part per
   rank of comm.  The global numbering needs no change: the empty ranks hold
   no rows. */
PetscErrorCode WalrasPartitionScotch_Private(MPI_Comm comm, const WalrasGraph *graph,
                                             PetscInt owner[])
{
  PetscMPIInt size;
  PetscInt    fewest;
  MPI_Comm    sub;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  if (size == 1) { /* one part: nothing to cut, and PT-Scotch is not needed */
    for (PetscInt i = 0; i < graph->nlocal; i++) owner[i] = 0;
    PetscFunctionReturn(0);
  }
  PetscCallMPI(MPI_Allreduce(&graph->nlocal, &fewest, 1, MPIU_INT, MPI_MIN, comm));
  if (fewest > 0) {
    PetscCall(ScotchOnComm(comm, graph, size, owner));
    PetscFunctionReturn(0);
  }

  PetscCallMPI(MPI_Comm_split(comm, graph->nlocal > 0 ? 0 : MPI_UNDEFINED, 0, &sub));
  if (sub != MPI_COMM_NULL) {
    PetscCall(ScotchOnComm(sub, graph, size, owner));
    PetscCallMPI(MPI_Comm_free(&sub));
  }
  PetscFunctionReturn(0);
}
