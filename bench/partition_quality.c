/* Quality of the three partitioners on layered random DAGs.

   The DAG has `levels` levels of n / levels agents, numbered level by level.
   Each agent feeds two agents of the next level near its own relative place
   (within +-16) and, one time in ten, a third anywhere in that level; work
   weights are 1..4.  Edges come from a hash of the agent's number, so the
   graph does not depend on the number of ranks.  Every rank generates its
   own agents' out-edges; the assembly of a parallel matrix delivers the
   reverse edges to their owners, so no rank ever holds the whole graph.

   usage: mpiexec -n P partition_quality [-n 100000] [-levels 32]
   Prints one markdown table row per partitioner (rank 0). */
#include <walras/partition.h>
#include <petscmat.h>

static PetscInt64 Hash(PetscInt64 v, PetscInt64 k)
{
  uint64_t z = (uint64_t)v * 0x9E3779B97F4A7C15ULL + (uint64_t)k * 0xBF58476D1CE4E5B9ULL;

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return (PetscInt64)((z ^ (z >> 31)) >> 1);
}

/* Inserts u's out-edges both ways into the symmetric adjacency matrix. */
static PetscErrorCode AddOutEdges(Mat adj, PetscInt u, PetscInt width, PetscInt nlevels)
{
  PetscInt l = u / width, j = u % width, targets[3], k, nt = 2;

  PetscFunctionBegin;
  if (l == nlevels - 1) PetscFunctionReturn(0);
  for (k = 0; k < 2; k++) {
    PetscInt jj = j - 16 + (PetscInt)(Hash(u, k) % 33);

    targets[k] = (l + 1) * width + PetscMin(PetscMax(jj, 0), width - 1);
  }
  if (Hash(u, 2) % 10 == 0) targets[nt++] = (l + 1) * width + (PetscInt)(Hash(u, 3) % width);
  for (k = 0; k < nt; k++) {
    PetscCall(MatSetValue(adj, u, targets[k], 1.0, INSERT_VALUES));
    PetscCall(MatSetValue(adj, targets[k], u, 1.0, INSERT_VALUES));
  }
  PetscFunctionReturn(0);
}

typedef struct {
  WalrasGraph graph;
  PetscInt   *xadj, *adjncy, *weight, *level;
} BenchGraph;

static PetscErrorCode BuildLayered(MPI_Comm comm, PetscInt n, PetscInt nlevels, BenchGraph *b)
{
  Mat      adj;
  PetscInt rstart, rend, width = n / nlevels, nlocal, e = 0;

  PetscFunctionBegin;
  PetscCall(MatCreateAIJ(comm, PETSC_DECIDE, PETSC_DECIDE, n, n, 8, NULL, 8, NULL, &adj));
  PetscCall(MatSetOption(adj, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_FALSE));
  PetscCall(MatGetOwnershipRange(adj, &rstart, &rend));
  for (PetscInt u = rstart; u < rend; u++) PetscCall(AddOutEdges(adj, u, width, nlevels));
  PetscCall(MatAssemblyBegin(adj, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(adj, MAT_FINAL_ASSEMBLY));

  nlocal = rend - rstart;
  PetscCall(PetscMalloc1(nlocal + 1, &b->xadj));
  b->xadj[0] = 0;
  for (PetscInt i = 0; i < nlocal; i++) {
    PetscInt ncols;

    PetscCall(MatGetRow(adj, rstart + i, &ncols, NULL, NULL));
    b->xadj[i + 1] = b->xadj[i] + ncols;
    PetscCall(MatRestoreRow(adj, rstart + i, &ncols, NULL, NULL));
  }
  PetscCall(PetscMalloc3(b->xadj[nlocal], &b->adjncy, nlocal, &b->weight, nlocal, &b->level));
  for (PetscInt i = 0; i < nlocal; i++) {
    const PetscInt *cols;
    PetscInt        ncols, u = rstart + i;

    PetscCall(MatGetRow(adj, u, &ncols, &cols, NULL));
    for (PetscInt c = 0; c < ncols; c++) b->adjncy[e++] = cols[c];
    PetscCall(MatRestoreRow(adj, u, &ncols, &cols, NULL));
    b->weight[i] = 1 + (PetscInt)(Hash(u, 7) % 4);
    b->level[i]  = nlevels - 1 - PetscMin(u / width, nlevels - 1);
  }
  PetscCall(MatDestroy(&adj));
  b->graph = (WalrasGraph){nlocal, n, rstart, b->xadj, b->adjncy, b->weight, b->level};
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  static const char *types[] = {"block", "scotch", "level"};
  PetscInt           n = 100000, nlevels = 32, nedges, alledges;
  PetscMPIInt        size;
  BenchGraph         b;
  MPI_Comm           comm;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-n", &n, NULL));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-levels", &nlevels, NULL));
  /* whole levels only, so every level has the same width */
  n = n / nlevels * nlevels;
  PetscCall(BuildLayered(comm, n, nlevels, &b));
  nedges = b.xadj[b.graph.nlocal]; /* both directions of every edge */
  PetscCallMPI(MPI_Allreduce(&nedges, &alledges, 1, MPIU_INT, MPI_SUM, comm));
  alledges = PetscMax(alledges / 2, 1);

  for (int k = 0; k < 3; k++) {
    IS                     owner;
    WalrasPartitionQuality q;
    double                 t0, t;

    PetscCallMPI(MPI_Barrier(comm));
    t0 = MPI_Wtime();
    PetscCall(WalrasPartitionCompute(comm, &b.graph, types[k], &owner));
    t = MPI_Wtime() - t0;
    PetscCall(WalrasPartitionMeasure(comm, &b.graph, owner, &q));
    PetscCall(PetscPrintf(comm,
                          "| %" PetscInt_FMT " | %d | %s | %" PetscInt_FMT
                          " | %.4f | %.4f | %" PetscInt_FMT "..%" PetscInt_FMT " of %" PetscInt_FMT
                          " | %.3f |\n",
                          n, size, types[k], q.cut_edges, (double)q.cut_edges / (double)alledges,
                          (double)q.imbalance, q.min_levels, q.max_levels, q.nlevels, t));
    PetscCall(ISDestroy(&owner));
  }
  PetscCall(PetscFree(b.xadj));
  PetscCall(PetscFree3(b.adjncy, b.weight, b.level));
  PetscCall(PetscFinalize());
  return 0;
}
