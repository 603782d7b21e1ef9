#pragma once

/* Private to partition/: the partitioners behind WalrasPartitionCompute() and
   the helpers they share.  Each partitioner fills owner[nlocal] with the rank
   that should own each local row; the graph has been checked already. */

#include <walras/partition.h>
#include <petscsf.h>

PETSC_INTERN PetscErrorCode WalrasPartitionBlock_Private(MPI_Comm comm, const WalrasGraph *graph,
                                                         PetscInt owner[]);
PETSC_INTERN PetscErrorCode WalrasPartitionScotch_Private(MPI_Comm comm, const WalrasGraph *graph,
                                                          PetscInt owner[]);
PETSC_INTERN PetscErrorCode WalrasPartitionLevel_Private(MPI_Comm comm, const WalrasGraph *graph,
                                                         PetscInt owner[]);

/* Collective.  Input checks on the graph (consistent row ranges, neighbours
   in range, weights >= 1, levels >= 0), agreed on by every rank so that all
   of them raise the same error. */
PETSC_INTERN PetscErrorCode WalrasGraphCheck_Private(MPI_Comm comm, const WalrasGraph *graph);

/* Collective.  A star forest whose roots are the local rows and whose leaves
   are the adjncy entries, so a broadcast fills, for every neighbour entry, a
   value held by the rank that owns that neighbour.  Caller destroys *sf. */
PETSC_INTERN PetscErrorCode WalrasGraphNeighbourSF_Private(MPI_Comm comm, const WalrasGraph *graph,
                                                           PetscSF *sf);

static inline PetscInt WalrasGraphWeight(const WalrasGraph *graph, PetscInt i)
{
  return graph->weight ? graph->weight[i] : 1;
}

static inline PetscInt WalrasGraphLevel(const WalrasGraph *graph, PetscInt i)
{
  return graph->level ? graph->level[i] : 0;
}

/* The rank of the piece of [0, total) that holds the midpoint of the item
   [before, before + w), when [0, total) is cut into nparts equal pieces.
   Integer arithmetic in 64 bits, so the result is the same on every rank. */
static inline PetscInt WalrasShareOwner(PetscInt64 before, PetscInt64 w, PetscInt64 total,
                                        PetscInt nparts)
{
  PetscInt64 q;

  if (total <= 0) return 0;
  q = ((2 * before + w) * (PetscInt64)nparts) / (2 * total);
  return (PetscInt)PetscMin(PetscMax(q, 0), (PetscInt64)nparts - 1);
}
