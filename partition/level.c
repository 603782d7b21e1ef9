/* The level partitioner: every topological level is split among all ranks in
   proportion to work, so that each step of a level-by-level sweep keeps every
   rank busy and the sweeps pipeline.

   Inside a level the agents are ordered by a key that keeps DAG neighbours
   close (below), and each rank takes a contiguous run of that order.  A level
   with fewer agents than ranks cannot give every rank work; the agents of
   such narrow levels, taken level after level in the same order, form one
   sequence cut into nranks blocks balanced by work (a chain thus ends up cut
   like the block partitioner would cut it).

   The order inside a level is by key bin, then by rank, then by key: exact
   sorting would need a distributed sort, while counting per bin needs only
   one scan and one reduction; the bins are fine enough that neighbours stay
   close.  Not yet: memory of a few counters per level on every rank, which
   for a DAG of a million levels (a chain) is tens of megabytes, because the
   level totals are agreed by reductions over arrays indexed by level. */
#include "partition_impl.h"

/* Rounds of neighbour averaging of the key: a few already line up the agents
   of adjacent levels; many would flatten the keys to their mean. */
#define LEVEL_SWEEPS 4
/* Most (level, key bin) counters a rank holds; bins per level shrink as the
   number of levels grows, down to one bin per level. */
#define LEVEL_BIN_BUDGET 65536
#define LEVEL_BINS_MAX 64

typedef struct {
  PetscInt  level, bin, row;
  PetscReal key;
} LevelItem;

static int CompareItems(const void *pa, const void *pb)
{
  const LevelItem *a = pa, *b = pb;

  if (a->level != b->level) return a->level < b->level ? -1 : 1;
  if (a->bin != b->bin) return a->bin < b->bin ? -1 : 1;
  if (a->key != b->key) return a->key < b->key ? -1 : 1;
  return a->row < b->row ? -1 : (a->row > b->row);
}

/* The first key of an agent is its place inside its level in the caller's
   numbering, as a fraction in (0, 1): the same scale on every level, so that
   averaging over neighbours in other levels compares like with like. */
static PetscErrorCode InitialKeys(MPI_Comm comm, const WalrasGraph *graph, PetscInt nlevels,
                                  PetscReal key[])
{
  PetscInt64 *mine, *before, *count;
  PetscMPIInt rank, len;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMPIIntCast(nlevels, &len));
  PetscCall(PetscCalloc3(nlevels, &mine, nlevels, &before, nlevels, &count));
  for (PetscInt i = 0; i < graph->nlocal; i++) mine[WalrasGraphLevel(graph, i)]++;
  PetscCallMPI(MPI_Exscan(mine, before, len, MPIU_INT64, MPI_SUM, comm));
  if (rank == 0)
    for (PetscInt l = 0; l < nlevels; l++) before[l] = 0;
  PetscCallMPI(MPI_Allreduce(mine, count, len, MPIU_INT64, MPI_SUM, comm));
  for (PetscInt i = 0; i < graph->nlocal; i++) {
    PetscInt l = WalrasGraphLevel(graph, i);

    key[i] = (before[l]++ + 0.5) / count[l];
  }
  PetscCall(PetscFree3(mine, before, count));
  PetscFunctionReturn(0);
}

/* Barycentric keys: replace each key by the mean of itself and its
   neighbours a few times (the classic heuristic of layered drawings), so an
   agent moves next to the agents it exchanges with. */
static PetscErrorCode SmoothKeys(MPI_Comm comm, const WalrasGraph *graph, PetscInt sweeps,
                                 PetscReal key[])
{
  PetscSF    sf;
  PetscReal *nbkey;
  PetscInt   nedges = graph->nlocal > 0 ? graph->xadj[graph->nlocal] : 0;

  PetscFunctionBegin;
  PetscCall(WalrasGraphNeighbourSF_Private(comm, graph, &sf));
  PetscCall(PetscMalloc1(nedges, &nbkey));
  for (PetscInt s = 0; s < sweeps; s++) {
    PetscCall(PetscSFBcastBegin(sf, MPIU_REAL, key, nbkey, MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(sf, MPIU_REAL, key, nbkey, MPI_REPLACE));
    for (PetscInt i = 0; i < graph->nlocal; i++) {
      PetscReal sum = key[i];

      for (PetscInt e = graph->xadj[i]; e < graph->xadj[i + 1]; e++) sum += nbkey[e];
      key[i] = sum / (1 + graph->xadj[i + 1] - graph->xadj[i]);
    }
  }
  PetscCall(PetscFree(nbkey));
  PetscCall(PetscSFDestroy(&sf));
  PetscFunctionReturn(0);
}

/* Agrees on each level's key range and puts every local agent in one of
   nbins equal key bins of its level. */
static PetscErrorCode BinItems(MPI_Comm comm, const WalrasGraph *graph, const PetscReal key[],
                               PetscInt nlevels, LevelItem items[], PetscInt *nbins)
{
  PetscInt    B;
  PetscReal  *range, *allrange;
  PetscMPIInt len;

  PetscFunctionBegin;
  PetscCall(PetscMPIIntCast(2 * nlevels, &len));
  *nbins = B = PetscMax(1, PetscMin(LEVEL_BINS_MAX, LEVEL_BIN_BUDGET / nlevels));

  /* range[2L] = -(min key), range[2L + 1] = max key, so one MAX reduction */
  PetscCall(PetscMalloc2(2 * nlevels, &range, 2 * nlevels, &allrange));
  for (PetscInt l = 0; l < 2 * nlevels; l++) range[l] = PETSC_MIN_REAL;
  for (PetscInt i = 0; i < graph->nlocal; i++) {
    PetscInt l = WalrasGraphLevel(graph, i);

    range[2 * l]     = PetscMax(range[2 * l], -key[i]);
    range[2 * l + 1] = PetscMax(range[2 * l + 1], key[i]);
  }
  PetscCallMPI(MPI_Allreduce(range, allrange, len, MPIU_REAL, MPI_MAX, comm));

  for (PetscInt i = 0; i < graph->nlocal; i++) {
    PetscInt  l = WalrasGraphLevel(graph, i), b = 0;
    PetscReal lo = -allrange[2 * l], hi = allrange[2 * l + 1];

    if (hi > lo) b = (PetscInt)((key[i] - lo) / (hi - lo) * B);
    items[i].level = l;
    items[i].bin   = PetscMin(PetscMax(b, 0), B - 1);
    items[i].row   = i;
    items[i].key   = key[i];
  }
  PetscCall(PetscFree2(range, allrange));
  PetscFunctionReturn(0);
}

/* The global order inside a level is (bin, rank, key): start[l*B + b] is the
   work of the level's agents that come before this rank's agents in bin b.
   total[l] is the level's work, count[l] its number of agents. */
static PetscErrorCode BinOffsets(MPI_Comm comm, const WalrasGraph *graph, const LevelItem items[],
                                 PetscInt nlevels, PetscInt B, PetscInt64 start[],
                                 PetscInt64 total[], PetscInt64 count[])
{
  PetscInt    n = nlevels * B;
  PetscInt64 *local, *sum;
  PetscMPIInt rank, len, lensum;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(PetscMPIIntCast(n, &len));
  PetscCall(PetscMPIIntCast(n + nlevels, &lensum));
  PetscCall(PetscCalloc2(n + nlevels, &local, n + nlevels, &sum));
  for (PetscInt i = 0; i < graph->nlocal; i++) {
    local[items[i].level * B + items[i].bin] += WalrasGraphWeight(graph, items[i].row);
    local[n + items[i].level] += 1;
  }
  PetscCallMPI(MPI_Exscan(local, start, len, MPIU_INT64, MPI_SUM, comm));
  if (rank == 0)
    for (PetscInt k = 0; k < n; k++) start[k] = 0;
  PetscCallMPI(MPI_Allreduce(local, sum, lensum, MPIU_INT64, MPI_SUM, comm));

  /* add the work of the level's earlier bins, on all ranks */
  for (PetscInt l = 0; l < nlevels; l++) {
    PetscInt64 before = 0;

    for (PetscInt b = 0; b < B; b++) {
      start[l * B + b] += before;
      before += sum[l * B + b];
    }
    total[l] = before;
    count[l] = sum[n + l];
  }
  PetscCall(PetscFree2(local, sum));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasPartitionLevel_Private(MPI_Comm comm, const WalrasGraph *graph,
                                            PetscInt owner[])
{
  PetscMPIInt size;
  PetscInt    sweeps = LEVEL_SWEEPS, nlevels = 1, B = 1, top = 0;
  PetscReal  *key;
  LevelItem  *items;
  PetscInt64 *start, *total, *count, *narrow_before, narrow_total = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-walras_partition_level_sweeps", &sweeps, NULL));
  for (PetscInt i = 0; i < graph->nlocal; i++) top = PetscMax(top, WalrasGraphLevel(graph, i));
  PetscCallMPI(MPI_Allreduce(&top, &nlevels, 1, MPIU_INT, MPI_MAX, comm));
  nlevels++;

  PetscCall(PetscMalloc2(graph->nlocal, &key, graph->nlocal, &items));
  PetscCall(InitialKeys(comm, graph, nlevels, key));
  PetscCall(SmoothKeys(comm, graph, sweeps, key));
  PetscCall(BinItems(comm, graph, key, nlevels, items, &B));
  PetscCall(
      PetscMalloc4(nlevels * B, &start, nlevels, &total, nlevels, &count, nlevels, &narrow_before));
  PetscCall(BinOffsets(comm, graph, items, nlevels, B, start, total, count));

  /* the narrow levels, in level order, form one sequence cut into blocks */
  for (PetscInt l = 0; l < nlevels; l++) {
    narrow_before[l] = narrow_total;
    if (count[l] < size) narrow_total += total[l];
  }

  /* walk the local agents in the global order; start[] becomes a cursor */
  if (graph->nlocal > 0) qsort(items, (size_t)graph->nlocal, sizeof(*items), CompareItems);
  for (PetscInt k = 0; k < graph->nlocal; k++) {
    PetscInt    l = items[k].level, i = items[k].row, w = WalrasGraphWeight(graph, i);
    PetscInt64 *cursor = &start[l * B + items[k].bin];

    if (count[l] < size)
      owner[i] = WalrasShareOwner(narrow_before[l] + *cursor, w, narrow_total, size);
    else
      owner[i] = WalrasShareOwner(*cursor, w, total[l], size);
    *cursor += w;
  }
  PetscCall(PetscFree4(start, total, count, narrow_before));
  PetscCall(PetscFree2(key, items));
  PetscFunctionReturn(0);
}
