/* MPI test of the partitioners on graphs whose optimum is known: a chain, two
   cliques joined by one edge, and layered DAGs.  Every rank builds only its
   own rows.  Prints each check; exits non-zero if any fails. */
#include <walras/partition.h>
#include <petscvec.h>

typedef struct {
  const char *name;
  PetscInt    n, width, scramble; /* scramble: multiplier of the numbering */
  PetscBool   weighted;
  PetscInt (*neighbours)(const void *g, PetscInt v, PetscInt nb[]); /* in the natural numbering */
  PetscInt (*level)(const void *g, PetscInt v);
} Family;

typedef struct {
  WalrasGraph graph;
  PetscInt   *xadj, *adjncy, *weight, *level;
} TestGraph;

static int failures = 0;

/* chain 0 - 1 - ... - n-1, the exit at n-1 */
static PetscInt ChainNeighbours(const void *g, PetscInt v, PetscInt nb[])
{
  const Family *f = g;
  PetscInt      k = 0;

  if (v > 0) nb[k++] = v - 1;
  if (v < f->n - 1) nb[k++] = v + 1;
  return k;
}

static PetscInt ChainLevel(const void *g, PetscInt v)
{
  return ((const Family *)g)->n - 1 - v;
}

/* two cliques of width agents, {0..w-1} and {w..2w-1}, joined by (w-1, w) */
static PetscInt CliqueNeighbours(const void *g, PetscInt v, PetscInt nb[])
{
  const Family *f = g;
  PetscInt      w = f->width, c = v / w, k = 0;

  for (PetscInt u = c * w; u < (c + 1) * w; u++)
    if (u != v) nb[k++] = u;
  if (v == w - 1) nb[k++] = w;
  if (v == w) nb[k++] = w - 1;
  return k;
}

/* levels of width agents; (l, j) feeds (l + 1, j) and (l + 1, j + 1) */
static PetscInt LayeredNeighbours(const void *g, PetscInt v, PetscInt nb[])
{
  const Family *f = g;
  PetscInt      w = f->width, l = v / w, j = v % w, L = f->n / w, k = 0;

  if (l > 0 && j > 0) nb[k++] = v - w - 1;
  if (l > 0) nb[k++] = v - w;
  if (l < L - 1) nb[k++] = v + w;
  if (l < L - 1 && j < w - 1) nb[k++] = v + w + 1;
  return k;
}

static PetscInt LayeredLevel(const void *g, PetscInt v)
{
  const Family *f = g;

  return f->n / f->width - 1 - v / f->width;
}

/* The test numbering is natural * scramble mod n (a bijection when they are
   coprime); the inverse is found by search over the multiplier's inverse. */
static PetscInt Scramble(const Family *f, PetscInt v)
{
  return (PetscInt)(((PetscInt64)v * f->scramble) % f->n);
}

static PetscInt Unscramble(const Family *f, PetscInt g)
{
  PetscInt inv = 1;

  while (((PetscInt64)inv * f->scramble) % f->n != 1) inv++;
  return (PetscInt)(((PetscInt64)g * inv) % f->n);
}

static PetscErrorCode BuildGraph(MPI_Comm comm, const Family *f, TestGraph *t)
{
  PetscMPIInt size, rank;
  PetscInt    n = f->n, nlocal, rstart, nb[64], e = 0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  nlocal = n / size + (rank < n % size);
  rstart = rank * (n / size) + PetscMin(rank, n % size);
  PetscCall(PetscMalloc4(nlocal + 1, &t->xadj, 2 * f->width * nlocal + 4 * nlocal, &t->adjncy,
                         nlocal, &t->weight, nlocal, &t->level));
  t->xadj[0] = 0;
  for (PetscInt i = 0; i < nlocal; i++) {
    PetscInt v = f->scramble ? Unscramble(f, rstart + i) : rstart + i;
    PetscInt k = f->neighbours(f, v, nb);

    for (PetscInt m = 0; m < k; m++) t->adjncy[e++] = f->scramble ? Scramble(f, nb[m]) : nb[m];
    t->xadj[i + 1] = e;
    t->weight[i]   = f->weighted ? 1 + (v * 7) % 5 : 1;
    t->level[i]    = f->level(f, v);
  }
  t->graph = (WalrasGraph){nlocal, n, rstart, t->xadj, t->adjncy, t->weight, t->level};
  PetscFunctionReturn(0);
}

static PetscErrorCode Check(MPI_Comm comm, PetscBool ok, const char *what)
{
  PetscFunctionBegin;
  if (!ok) failures++;
  PetscCall(PetscPrintf(comm, "    %s: %s\n", what, ok ? "ok" : "FAILED"));
  PetscFunctionReturn(0);
}

/* Every agent has exactly one owner, the new numbers of rank q form q's
   contiguous range, and inside a rank the old order is kept: scatter 1 and
   the old number to each agent's new place, then look at what arrived. */
static PetscErrorCode CheckRenumbering(MPI_Comm comm, const WalrasGraph *g, IS owner)
{
  IS                 newnum;
  PetscInt           nnew, sum, bad = 0, anybad;
  const PetscInt    *idx, *own;
  Vec                hits, old;
  const PetscScalar *h, *o;
  PetscMPIInt        size;
  PetscInt          *ranges;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(WalrasPartitionRenumber(comm, g, owner, &newnum, &nnew));
  PetscCallMPI(MPI_Allreduce(&nnew, &sum, 1, MPIU_INT, MPI_SUM, comm));
  PetscCall(PetscMalloc1(size + 1, &ranges));
  ranges[0] = 0;
  PetscCallMPI(MPI_Allgather(&nnew, 1, MPIU_INT, ranges + 1, 1, MPIU_INT, comm));
  for (PetscMPIInt q = 0; q < size; q++) ranges[q + 1] += ranges[q];

  PetscCall(VecCreateMPI(comm, nnew, g->nglobal, &hits));
  PetscCall(VecDuplicate(hits, &old));
  PetscCall(ISGetIndices(newnum, &idx));
  PetscCall(ISGetIndices(owner, &own));
  for (PetscInt i = 0; i < g->nlocal; i++) {
    if (idx[i] < ranges[own[i]] || idx[i] >= ranges[own[i] + 1]) bad = 1;
    PetscCall(VecSetValue(hits, idx[i], 1.0, ADD_VALUES));
    PetscCall(VecSetValue(old, idx[i], (PetscScalar)(g->rstart + i), ADD_VALUES));
  }
  PetscCall(ISRestoreIndices(owner, &own));
  PetscCall(ISRestoreIndices(newnum, &idx));
  PetscCall(VecAssemblyBegin(hits));
  PetscCall(VecAssemblyEnd(hits));
  PetscCall(VecAssemblyBegin(old));
  PetscCall(VecAssemblyEnd(old));

  PetscCall(VecGetArrayRead(hits, &h));
  PetscCall(VecGetArrayRead(old, &o));
  for (PetscInt i = 0; i < nnew; i++) {
    if (h[i] != 1.0) bad |= 2;
    if (i > 0 && !(o[i] > o[i - 1])) bad |= 4;
  }
  PetscCall(VecRestoreArrayRead(old, &o));
  PetscCall(VecRestoreArrayRead(hits, &h));
  PetscCallMPI(MPI_Allreduce(&bad, &anybad, 1, MPIU_INT, MPI_BOR, comm));
  PetscCall(Check(comm, sum == g->nglobal && !(anybad & 2), "every agent has exactly one owner"));
  PetscCall(Check(comm, !(anybad & 1), "new numbers form each owner's contiguous range"));
  PetscCall(Check(comm, !(anybad & 4), "each rank keeps the old relative order"));
  PetscCall(VecDestroy(&hits));
  PetscCall(VecDestroy(&old));
  PetscCall(ISDestroy(&newnum));
  PetscCall(PetscFree(ranges));
  PetscFunctionReturn(0);
}

/* Bounds one partitioner must meet on one graph; negative means unchecked. */
typedef struct {
  PetscInt  max_cut;
  PetscReal max_imbalance;
  PetscBool every_level; /* every rank owns agents in every level */
} Bounds;

static PetscErrorCode RunCase(MPI_Comm comm, const Family *f, const char *type, Bounds b,
                              WalrasPartitionQuality *out)
{
  TestGraph              t;
  IS                     owner;
  WalrasPartitionQuality q;
  char                   what[256];

  PetscFunctionBegin;
  PetscCall(BuildGraph(comm, f, &t));
  PetscCall(WalrasPartitionCompute(comm, &t.graph, type, &owner));
  PetscCall(WalrasPartitionMeasure(comm, &t.graph, owner, &q));
  PetscCall(PetscPrintf(
      comm,
      "  %s, %s: cut %" PetscInt_FMT ", imbalance %.4f, levels per rank %" PetscInt_FMT
      "..%" PetscInt_FMT " of %" PetscInt_FMT "\n",
      f->name, type, q.cut_edges, (double)q.imbalance, q.min_levels, q.max_levels, q.nlevels));
  PetscCall(CheckRenumbering(comm, &t.graph, owner));
  if (b.max_cut >= 0) {
    PetscCall(PetscSNPrintf(what, sizeof(what), "cut %" PetscInt_FMT " <= %" PetscInt_FMT,
                            q.cut_edges, b.max_cut));
    PetscCall(Check(comm, q.cut_edges <= b.max_cut, what));
  }
  if (b.max_imbalance > 0) {
    PetscCall(PetscSNPrintf(what, sizeof(what), "imbalance %.4f <= %.4f", (double)q.imbalance,
                            (double)b.max_imbalance));
    PetscCall(Check(comm, q.imbalance <= b.max_imbalance + 1e-12, what));
  }
  if (b.every_level)
    PetscCall(Check(comm, q.min_levels == q.nlevels, "every rank has work in every level"));
  if (out) *out = q;
  PetscCall(ISDestroy(&owner));
  PetscCall(PetscFree4(t.xadj, t.adjncy, t.weight, t.level));
  PetscFunctionReturn(0);
}

/* A chain of 1000 agents (1000 is a multiple of 1, 2 and 4): the optimum is
   nranks - 1 cut edges at perfect balance.  Weighted, the balance bound is
   one largest weight (5) over the mean. */
static PetscErrorCode TestChain(MPI_Comm comm, PetscMPIInt size)
{
  Family    f    = {"chain 1000", 1000, 1, 0, PETSC_FALSE, ChainNeighbours, ChainLevel};
  Family    fw   = {"weighted chain 1000", 1000, 1, 0, PETSC_TRUE, ChainNeighbours, ChainLevel};
  PetscReal wmax = 1 + 5.0 * size / 3000; /* weights 1..5 average 3 */
  Bounds    opt = {size - 1, 1.0, PETSC_FALSE}, wopt = {size - 1, wmax, PETSC_FALSE};
  Bounds    scotch = {2 * (size - 1), 1.03, PETSC_FALSE};

  PetscFunctionBegin;
  PetscCall(RunCase(comm, &f, "block", opt, NULL));
  PetscCall(RunCase(comm, &f, "level", opt, NULL));
  PetscCall(RunCase(comm, &f, "scotch", scotch, NULL));
  PetscCall(RunCase(comm, &fw, "block", wopt, NULL));
  PetscCall(RunCase(comm, &fw, "level", wopt, NULL));
  PetscCall(RunCase(comm, &fw, "scotch", scotch, NULL));
  PetscFunctionReturn(0);
}

/* Two cliques of 8 joined by one edge; at 2 ranks the optimum cuts only the
   joining edge.  The numbering is scrambled for scotch so that the answer
   cannot come from the numbering. */
static PetscErrorCode TestCliques(MPI_Comm comm, PetscMPIInt size)
{
  Family f   = {"two cliques of 8", 16, 8, 0, PETSC_FALSE, CliqueNeighbours, ChainLevel};
  Family fs  = {"two cliques of 8, scrambled", 16, 8, 5, PETSC_FALSE, CliqueNeighbours, ChainLevel};
  Bounds two = {size == 1 ? 0 : 1, 1.0, PETSC_FALSE}, any = {-1, 1.0, PETSC_FALSE};
  Bounds b = size <= 2 ? two : any;

  PetscFunctionBegin;
  PetscCall(RunCase(comm, &f, "block", b, NULL));
  PetscCall(RunCase(comm, &f, "level", b, NULL));
  PetscCall(RunCase(comm, &f, "scotch", b, NULL));
  PetscCall(RunCase(comm, &fs, "scotch", b, NULL));
  PetscFunctionReturn(0);
}

/* 10 levels of 64 agents.  With "level" every rank works in every level at
   perfect balance (64 is a multiple of 1, 2 and 4), cutting one edge per rank
   boundary between adjacent levels; "block" gives each rank whole levels. */
static PetscErrorCode TestLayered(MPI_Comm comm, PetscMPIInt size)
{
  Family f   = {"layered 10x64", 640, 64, 0, PETSC_FALSE, LayeredNeighbours, LayeredLevel};
  Family fs  = {"layered 10x64, scrambled", 640,         64, 3, PETSC_FALSE,
                LayeredNeighbours,          LayeredLevel};
  Bounds lev = {9 * (size - 1), 1.0, PETSC_TRUE}, bal = {-1, 1.0, PETSC_FALSE};
  Bounds levs = {-1, 1.0, PETSC_TRUE};
  WalrasPartitionQuality qb, ql;

  PetscFunctionBegin;
  PetscCall(RunCase(comm, &f, "level", lev, NULL));
  PetscCall(RunCase(comm, &f, "block", bal, &qb));
  PetscCall(Check(comm, qb.max_levels <= (10 + size - 1) / size + 1, "block gives whole levels"));
  PetscCall(RunCase(comm, &f, "scotch", (Bounds){-1, 1.05, PETSC_FALSE}, NULL));
  PetscCall(RunCase(comm, &fs, "level", levs, &ql));
  PetscCall(RunCase(comm, &fs, "block", bal, &qb));
  if (size > 1) PetscCall(Check(comm, ql.cut_edges < qb.cut_edges, "level cuts less than block"));
  PetscFunctionReturn(0);
}

/* Three agents: at 4 ranks one rank starts with no rows (PT-Scotch refuses
   such a distributed graph; the partitioner must work around it).  The best
   balance is 4/3 of the mean at 2 ranks (2 + 1) and at 4 (1 + 1 + 1 + 0). */
static PetscErrorCode TestTiny(MPI_Comm comm)
{
  Family f = {"chain 3", 3, 1, 0, PETSC_FALSE, ChainNeighbours, ChainLevel};
  Bounds b = {-1, 4.0 / 3.0, PETSC_FALSE};

  PetscFunctionBegin;
  PetscCall(RunCase(comm, &f, "block", b, NULL));
  PetscCall(RunCase(comm, &f, "level", b, NULL));
  PetscCall(RunCase(comm, &f, "scotch", b, NULL));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscMPIInt size;
  MPI_Comm    comm;
  int         all;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  comm = PETSC_COMM_WORLD;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscPrintf(comm, "partition tests at %d ranks\n", size));
  PetscCall(TestChain(comm, size));
  PetscCall(TestCliques(comm, size));
  PetscCall(TestLayered(comm, size));
  PetscCall(TestTiny(comm));
  PetscCallMPI(MPI_Allreduce(&failures, &all, 1, MPI_INT, MPI_MAX, comm));
  PetscCall(PetscPrintf(comm, "%s: %d failed checks\n", all ? "FAILED" : "passed", all));
  PetscCall(PetscFinalize());
  return all ? 1 : 0;
}
