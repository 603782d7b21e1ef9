#pragma once

/* Synthetic agent economies of any size (docs/generate.md): layered random
   DAGs with skip edges, heavy-tailed capacities and a demand shape, seeded
   and reproducible.  The arrays go to an HDF5 file next to a small scenario
   YAML that names it (key 'arrays'). */

#include <walras/sys.h>

typedef struct {
  PetscInt           A;          /* agents, >= layers */
  PetscInt           layers;     /* >= 2; layer 0 holds the entries, the last the exits */
  PetscInt           fanout;     /* successors in the next layer, >= 1 */
  PetscReal          skip;       /* probability of one extra edge over a layer, [0, 1] */
  PetscInt           R, K;       /* metrics, intervals */
  char               demand[16]; /* flat | diurnal | bursty */
  PetscReal          sigma;      /* routing elasticity, > 0 */
  PetscReal          bottleneck; /* fraction of agents that are tight, [0, 1] */
  unsigned long long seed;
} WalrasGenerateOptions;

/* Defaults: 1000 agents, 8 layers, fan-out 2, skip 0.1, R = 2, K = 4, flat,
   sigma 0.5, 2 % bottlenecks, seed 1. */
PETSC_EXTERN PetscErrorCode WalrasGenerateDefaults(WalrasGenerateOptions *opt);

/* Collective on comm.  Writes the scenario YAML at yaml_path (rank 0) and its
   arrays at h5_path (collectively; every rank computes and writes only its
   own contiguous slice of agents and their out-edges).  The arrays depend on
   the options and the seed only, not on the number of ranks.  Bad options
   are input errors. */
PETSC_EXTERN PetscErrorCode WalrasGenerate(MPI_Comm comm, const WalrasGenerateOptions *opt,
                                           const char *yaml_path, const char *h5_path);
