/* The block partitioner: contiguous pieces of the caller's numbering, cut so
   that every rank gets about the same work. */
#include "partition_impl.h"

/* Agent i goes to the rank whose share of the total work holds the midpoint
   of i's work in the running sum; one exclusive scan gives each rank the work
   of the rows before its own.  Each rank's work differs from the mean by less
   than the largest single weight. */
PetscErrorCode WalrasPartitionBlock_Private(MPI_Comm comm, const WalrasGraph *graph,
                                            PetscInt owner[])
{
  PetscInt64  local = 0, before = 0, total = 0;
  PetscMPIInt size, rank;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  for (PetscInt i = 0; i < graph->nlocal; i++) local += WalrasGraphWeight(graph, i);
  PetscCallMPI(MPI_Exscan(&local, &before, 1, MPIU_INT64, MPI_SUM, comm));
  if (rank == 0) before = 0; /* MPI_Exscan leaves rank 0's result undefined */
  PetscCallMPI(MPI_Allreduce(&local, &total, 1, MPIU_INT64, MPI_SUM, comm));

  for (PetscInt i = 0; i < graph->nlocal; i++) {
    PetscInt w = WalrasGraphWeight(graph, i);

    owner[i] = WalrasShareOwner(before, w, total, size);
    before += w;
  }
  PetscFunctionReturn(0);
}
