#pragma once

/* Assigns agents to ranks (partition/).  Docs: docs/partition.md.

   The agent DAG is given as a distributed undirected graph: rank q holds rows
   [rstart, rstart + nlocal) of the global agent numbering (the numbering of
   the caller, e.g. scenario order), each with its neighbours in global
   numbers (both directions of every DAG edge), a work weight and its
   topological level (height above the exits).  Collective on comm. */

#include <walras/sys.h>
#include <petscis.h>

typedef struct {
  PetscInt        nlocal, nglobal, rstart;
  const PetscInt *xadj;   /* [nlocal+1] CSR offsets */
  const PetscInt *adjncy; /* [xadj[nlocal]] neighbours, global numbers */
  const PetscInt *weight; /* [nlocal] work per agent (>= 1), or NULL for 1 */
  const PetscInt *level;  /* [nlocal] height above the exits, or NULL */
} WalrasGraph;

/* Partitioner names accepted by -walras_partition: "block" (contiguous
   blocks of the caller's numbering, balanced by weight), "scotch" (PT-Scotch
   through MatPartitioning, minimum edge cut), "level" (balanced within each
   topological level so sweeps pipeline).

   Collective on comm; splits the agents into as many parts as comm has
   ranks.  *owner (created on comm, destroyed by the caller) gives, for each
   local row, the rank that should own it.  An unknown type is an input error
   that lists the valid names.  No rank gathers the graph. */
PETSC_EXTERN PetscErrorCode WalrasPartitionCompute(MPI_Comm comm, const WalrasGraph *graph,
                                                   const char *type, IS *owner);

/* Collective on comm.  Turns an owner IS (as from WalrasPartitionCompute())
   into the new global numbering: rank q owns the contiguous range of new
   numbers that follows those of ranks 0..q-1, and the agents that move to
   one rank keep the relative order they had in the old numbering.
   *new_global (created on comm, destroyed by the caller) gives each local
   row its new number; *nlocal_new is how many agents this rank will own. */
PETSC_EXTERN PetscErrorCode WalrasPartitionRenumber(MPI_Comm comm, const WalrasGraph *graph,
                                                    IS owner, IS *new_global, PetscInt *nlocal_new);

/* Quality of a partition, for the log and the output. */
typedef struct {
  PetscInt  cut_edges;  /* undirected edges whose ends lie on different ranks */
  PetscReal imbalance;  /* max over ranks of work / mean work */
  PetscInt  max_levels; /* most distinct levels owned by one rank */
  PetscInt  min_levels; /* fewest distinct levels owned by one rank */
  PetscInt  nlevels;    /* highest level + 1 (1 without levels) */
} WalrasPartitionQuality;

/* Collective on comm; reads the graph and owner, writes *quality (the same
   on every rank).  Cut edges count each undirected edge once (the adjacency
   holds both directions); work is the sum of weights a rank would own. */
PETSC_EXTERN PetscErrorCode WalrasPartitionMeasure(MPI_Comm comm, const WalrasGraph *graph,
                                                   IS owner, WalrasPartitionQuality *quality);

/* Collective.  New global numbers for the local rows of graph so that rank q
   owns a contiguous range and, within a rank, agents keep the relative order
   of the old numbering.  *nlocal_new is the number of agents this rank owns
   afterwards. */
PETSC_EXTERN PetscErrorCode WalrasPartitionRenumber(MPI_Comm comm, const WalrasGraph *graph,
                                                    IS owner, IS *new_global, PetscInt *nlocal_new);
