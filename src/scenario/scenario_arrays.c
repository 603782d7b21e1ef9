/* 'arrays': a scenario whose agents, edges and shares live in an HDF5 file
   (docs/generate.md), read in parallel: each rank reads a contiguous slice
   of agents and the out-edges of its slice, and validates that slice.
   Errors are agreed on all ranks, so every rank stops with the message of
   the first rank that found one.  The scenario keeps only the slice
   (WalrasScenarioSlice): no rank ever holds the whole DAG; the checks that
   need the far end of an edge are in scenario_slice.c. */
#include "scenario/scenario_impl.h"
#include "util/h5slab.h"

#include <math.h>
#include <string.h>

typedef struct {
  PetscInt   A, E, n_entry, a0, nloc, e0, nedge, q0, nq;
  PetscInt  *kind, *level, *out_start, *pairs, *entry;
  PetscReal *gamma, *require, *cap, *weight, *entry_w;
} Slice;

#define SLICE_ERROR(...)                                                                           \
  do {                                                                                             \
    PetscCall(PetscSNPrintf(msg, len, __VA_ARGS__));                                               \
    PetscFunctionReturn(0);                                                                        \
  } while (0)

/* The rules of docs/scenario.md on this rank's slice; the first violation
   goes to msg (empty when the slice is good). */
static PetscErrorCode CheckSlice(const char *path, const WalrasScenario *sc, const Slice *s,
                                 char *msg, size_t len)
{
  const PetscInt R = sc->R, K = sc->K;

  PetscFunctionBegin;
  msg[0] = 0;
  for (PetscInt i = 0; i < s->nloc; i++) {
    PetscInt  a   = s->a0 + i;
    PetscBool any = PETSC_FALSE;

    if (s->kind[i] != 0 && s->kind[i] != 1)
      SLICE_ERROR("%s: dataset 'agents/kind': index %" PetscInt_FMT
                  ": expected 0 (frontier) or 1 (capacity), got %" PetscInt_FMT,
                  path, a, s->kind[i]);
    if (s->kind[i] == 0 && !(isfinite(s->gamma[i]) && s->gamma[i] > 1))
      SLICE_ERROR("%s: dataset 'agents/gamma': index %" PetscInt_FMT
                  ": expected a frontier curvature gamma > 1, got %.10g",
                  path, a, (double)s->gamma[i]);
    if (s->level[i] < 0)
      SLICE_ERROR("%s: dataset 'agents/level': index %" PetscInt_FMT
                  ": expected a height >= 0, got %" PetscInt_FMT,
                  path, a, s->level[i]);
    for (PetscInt r = 0; r < R; r++) {
      PetscReal d = s->require[i * R + r];

      if (!(isfinite(d) && d >= 0))
        SLICE_ERROR("%s: dataset 'agents/require': index [%" PetscInt_FMT "][%" PetscInt_FMT
                    "]: expected units per task >= 0, got %.10g",
                    path, a, r, (double)d);
      if (d > 0) any = PETSC_TRUE;
    }
    if (!any)
      SLICE_ERROR("%s: dataset 'agents/require': index %" PetscInt_FMT
                  ": expected a requirement above 0 for some metric, got all zero",
                  path, a);
    for (PetscInt r = 0; r < R; r++)
      for (PetscInt k = 0; k < K; k++) {
        PetscReal c = s->cap[((size_t)i * R + r) * K + k];

        if (!(isfinite(c) && c >= 0))
          SLICE_ERROR("%s: dataset 'agents/capacity': index [%" PetscInt_FMT "][%" PetscInt_FMT
                      "][%" PetscInt_FMT "]: expected a finite capacity >= 0, got %.10g",
                      path, a, r, k, (double)c);
        if (c == 0 && s->require[i * R + r] > 0 && sc->shares[k] > 0)
          SLICE_ERROR("%s: dataset 'agents/capacity': index [%" PetscInt_FMT "][%" PetscInt_FMT
                      "][%" PetscInt_FMT
                      "]: expected capacity > 0 for a required metric in an interval with "
                      "demand, got 0",
                      path, a, r, k);
      }
  }
  for (PetscInt i = 0; i < s->nloc; i++)
    if (s->out_start[i + 1] < s->out_start[i] || s->out_start[i] < 0 || s->out_start[i + 1] > s->E)
      SLICE_ERROR("%s: dataset 'agents/out_start': index %" PetscInt_FMT
                  ": expected nondecreasing offsets in [0, %" PetscInt_FMT "], got %" PetscInt_FMT
                  " then %" PetscInt_FMT,
                  path, s->a0 + i, s->E, s->out_start[i], s->out_start[i + 1]);
  for (PetscInt i = 0; i < s->nloc; i++)
    for (PetscInt e = s->out_start[i]; e < s->out_start[i + 1]; e++) {
      const PetscInt *pr = s->pairs + 2 * (e - s->e0);
      PetscReal       w  = s->weight[e - s->e0];

      if (pr[0] != s->a0 + i)
        SLICE_ERROR("%s: dataset 'edges/pairs': index %" PetscInt_FMT
                    ": expected source %" PetscInt_FMT
                    " (edges sorted by source, as agents/out_start says), got %" PetscInt_FMT,
                    path, e, s->a0 + i, pr[0]);
      if (pr[1] < 0 || pr[1] >= s->A)
        SLICE_ERROR("%s: dataset 'edges/pairs': index %" PetscInt_FMT
                    ": expected a target agent in [0, %" PetscInt_FMT "), got %" PetscInt_FMT,
                    path, e, s->A, pr[1]);
      if (!(isfinite(w) && w > 0))
        SLICE_ERROR("%s: dataset 'edges/weight': index %" PetscInt_FMT
                    ": expected a weight > 0, got %.10g",
                    path, e, (double)w);
    }
  for (PetscInt q = 0; q < s->nq; q++) {
    if (s->entry[q] < 0 || s->entry[q] >= s->A)
      SLICE_ERROR("%s: dataset 'entry/agent': index %" PetscInt_FMT
                  ": expected an agent in [0, %" PetscInt_FMT "), got %" PetscInt_FMT,
                  path, s->q0 + q, s->A, s->entry[q]);
    if (!(isfinite(s->entry_w[q]) && s->entry_w[q] > 0))
      SLICE_ERROR("%s: dataset 'entry/weight': index %" PetscInt_FMT
                  ": expected a weight > 0, got %.10g",
                  path, s->q0 + q, (double)s->entry_w[q]);
  }
  PetscFunctionReturn(0);
}

/* Shapes of all datasets; the same on every rank, so errors are collective. */
static PetscErrorCode ReadShapes(hid_t file, const char *path, const WalrasScenario *sc, Slice *s)
{
  hsize_t d[3];

  PetscFunctionBegin;
  PetscCall(WalrasH5SlabShape(file, path, "agents/kind", 1, d));
  s->A = (PetscInt)d[0];
  WalrasCheckInput(s->A >= 1, "%s: dataset 'agents/kind': expected at least one agent, got 0",
                   path);
  WalrasCheckInput((double)d[0] * (double)sc->R * (double)sc->K <= (double)PETSC_MAX_INT,
                   "%s: dataset 'agents/kind': expected at most %" PetscInt_FMT
                   " goods (agents x metrics x intervals, the index range of this PETSc build), "
                   "got %llu x %" PetscInt_FMT " x %" PetscInt_FMT,
                   path, (PetscInt)PETSC_MAX_INT, (unsigned long long)d[0], sc->R, sc->K);
  PetscCall(WalrasH5SlabShape(file, path, "agents/gamma", 1, d));
  WalrasCheckInput((PetscInt)d[0] == s->A,
                   "%s: dataset 'agents/gamma': expected %" PetscInt_FMT " rows, got %llu", path,
                   s->A, (unsigned long long)d[0]);
  PetscCall(WalrasH5SlabShape(file, path, "agents/level", 1, d));
  WalrasCheckInput((PetscInt)d[0] == s->A,
                   "%s: dataset 'agents/level': expected %" PetscInt_FMT " rows, got %llu", path,
                   s->A, (unsigned long long)d[0]);
  PetscCall(WalrasH5SlabShape(file, path, "agents/require", 2, d));
  WalrasCheckInput((PetscInt)d[0] == s->A && (PetscInt)d[1] == sc->R,
                   "%s: dataset 'agents/require': expected shape [%" PetscInt_FMT "][%" PetscInt_FMT
                   "] (agents, metrics), got [%llu][%llu]",
                   path, s->A, sc->R, (unsigned long long)d[0], (unsigned long long)d[1]);
  PetscCall(WalrasH5SlabShape(file, path, "agents/capacity", 3, d));
  WalrasCheckInput((PetscInt)d[0] == s->A && (PetscInt)d[1] == sc->R && (PetscInt)d[2] == sc->K,
                   "%s: dataset 'agents/capacity': expected shape [%" PetscInt_FMT
                   "][%" PetscInt_FMT "][%" PetscInt_FMT
                   "] (agents, metrics, intervals), got [%llu][%llu][%llu]",
                   path, s->A, sc->R, sc->K, (unsigned long long)d[0], (unsigned long long)d[1],
                   (unsigned long long)d[2]);
  PetscCall(WalrasH5SlabShape(file, path, "agents/out_start", 1, d));
  WalrasCheckInput((PetscInt)d[0] == s->A + 1,
                   "%s: dataset 'agents/out_start': expected %" PetscInt_FMT
                   " rows (agents + 1), got %llu",
                   path, s->A + 1, (unsigned long long)d[0]);
  PetscCall(WalrasH5SlabShape(file, path, "edges/pairs", 2, d));
  s->E = (PetscInt)d[0];
  WalrasCheckInput(d[1] == 2, "%s: dataset 'edges/pairs': expected 2 columns (from, to), got %llu",
                   path, (unsigned long long)d[1]);
  PetscCall(WalrasH5SlabShape(file, path, "edges/weight", 1, d));
  WalrasCheckInput((PetscInt)d[0] == s->E,
                   "%s: dataset 'edges/weight': expected %" PetscInt_FMT " rows, got %llu", path,
                   s->E, (unsigned long long)d[0]);
  PetscCall(WalrasH5SlabShape(file, path, "entry/agent", 1, d));
  s->n_entry = (PetscInt)d[0];
  WalrasCheckInput(s->n_entry >= 1,
                   "%s: dataset 'entry/agent': expected at least one entry agent, got 0", path);
  PetscCall(WalrasH5SlabShape(file, path, "entry/weight", 1, d));
  WalrasCheckInput((PetscInt)d[0] == s->n_entry,
                   "%s: dataset 'entry/weight': expected %" PetscInt_FMT " rows, got %llu", path,
                   s->n_entry, (unsigned long long)d[0]);
  PetscCall(WalrasH5SlabShape(file, path, "shares", 1, d));
  WalrasCheckInput((PetscInt)d[0] == sc->K,
                   "%s: dataset 'shares': expected %" PetscInt_FMT " rows (intervals), got %llu",
                   path, sc->K, (unsigned long long)d[0]);
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadSlice(MPI_Comm comm, hid_t file, const char *path, WalrasScenario *sc,
                                Slice *s)
{
  PetscMPIInt rank;
  PetscInt    A, n;
  char        msg[512] = "";

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  A       = s->A;
  s->nloc = PETSC_DECIDE;
  PetscCall(PetscSplitOwnership(comm, &s->nloc, &A));
  PetscCallMPI(MPI_Exscan(&s->nloc, &s->a0, 1, MPIU_INT, MPI_SUM, comm));
  if (rank == 0) s->a0 = 0;
  n = s->nloc;
  PetscCall(PetscMalloc5(n + 1, &s->kind, n + 1, &s->level, n + 2, &s->out_start, n + 1, &s->gamma,
                         n * sc->R + 1, &s->require));
  PetscCall(PetscMalloc1((size_t)n * sc->R * sc->K + 1, &s->cap));
  PetscCall(PetscMalloc1(sc->K, &sc->shares));
  PetscCall(WalrasH5SlabRead(file, "agents/kind", WALRAS_H5T_INT, s->a0, n, s->kind));
  PetscCall(WalrasH5SlabRead(file, "agents/level", WALRAS_H5T_INT, s->a0, n, s->level));
  PetscCall(WalrasH5SlabRead(file, "agents/gamma", H5T_NATIVE_DOUBLE, s->a0, n, s->gamma));
  PetscCall(WalrasH5SlabRead(file, "agents/require", H5T_NATIVE_DOUBLE, s->a0, n, s->require));
  PetscCall(WalrasH5SlabRead(file, "agents/capacity", H5T_NATIVE_DOUBLE, s->a0, n, s->cap));
  PetscCall(WalrasH5SlabRead(file, "agents/out_start", WALRAS_H5T_INT, s->a0, n + 1, s->out_start));
  PetscCall(WalrasH5SlabRead(file, "shares", H5T_NATIVE_DOUBLE, 0, sc->K, sc->shares));
  {
    WalrasWhere where = WalrasWhereOfKey(path, 0, "shares");
    PetscReal   sum   = 0;

    for (PetscInt k = 0; k < sc->K; k++) sum += sc->shares[k];
    /* Shares are normalised like a list in the YAML file would be. */
    if (sum > 0 && isfinite(sum))
      for (PetscInt k = 0; k < sc->K; k++) sc->shares[k] /= sum;
    PetscCall(WalrasRuleShares(&where, sc->K, sc->shares));
  }

  /* The out-edges of the slice, if the offsets make sense (else the check
     below reports them and nothing is read). */
  s->e0    = PetscMin(PetscMax(s->out_start[0], 0), s->E);
  s->nedge = PetscMax(PetscMin(s->out_start[n], s->E) - s->e0, 0);
  PetscCall(PetscMalloc2(2 * s->nedge + 1, &s->pairs, s->nedge + 1, &s->weight));
  PetscCall(WalrasH5SlabRead(file, "edges/pairs", WALRAS_H5T_INT, s->e0, s->nedge, s->pairs));
  PetscCall(WalrasH5SlabRead(file, "edges/weight", H5T_NATIVE_DOUBLE, s->e0, s->nedge, s->weight));

  /* Entries: an even split of their list. */
  {
    PetscInt ne = s->n_entry;

    s->nq = PETSC_DECIDE;
    PetscCall(PetscSplitOwnership(comm, &s->nq, &ne));
    s->q0 = 0;
    PetscCallMPI(MPI_Exscan(&s->nq, &s->q0, 1, MPIU_INT, MPI_SUM, comm));
    if (rank == 0) s->q0 = 0;
  }
  PetscCall(PetscMalloc2(s->nq + 1, &s->entry, s->nq + 1, &s->entry_w));
  PetscCall(WalrasH5SlabRead(file, "entry/agent", WALRAS_H5T_INT, s->q0, s->nq, s->entry));
  PetscCall(WalrasH5SlabRead(file, "entry/weight", H5T_NATIVE_DOUBLE, s->q0, s->nq, s->entry_w));

  if (s->nloc > 0 && s->out_start[0] < 0) s->nedge = 0;
  PetscCall(CheckSlice(path, sc, s, msg, sizeof(msg)));
  if (!msg[0] && rank == 0 && s->out_start[0] != 0)
    PetscCall(PetscSNPrintf(
        msg, sizeof(msg), "%s: dataset 'agents/out_start': index 0: expected 0, got %" PetscInt_FMT,
        path, s->out_start[0]));
  {
    PetscMPIInt size;

    PetscCallMPI(MPI_Comm_size(comm, &size));
    if (!msg[0] && rank == size - 1 && s->out_start[n] != s->E)
      PetscCall(PetscSNPrintf(msg, sizeof(msg),
                              "%s: dataset 'agents/out_start': index %" PetscInt_FMT
                              ": expected the number of edges %" PetscInt_FMT
                              ", got %" PetscInt_FMT,
                              path, s->A, s->E, s->out_start[n]));
  }
  PetscCall(WalrasAgreeInput(comm, msg));
  PetscFunctionReturn(0);
}

/* Moves the checked slice into the scenario, with out-edges as targets and
   offsets from 0. */
static PetscErrorCode KeepSlice(WalrasScenario *sc, Slice *s)
{
  WalrasScenarioSlice *k;
  const PetscInt       ne = s->nedge;

  PetscFunctionBegin;
  PetscCall(PetscNew(&k));
  sc->A   = s->A;
  sc->E   = s->E + s->n_entry;
  k->a0   = s->a0;
  k->n    = s->nloc;
  k->kind = s->kind, k->level = s->level, k->out_start = s->out_start, k->gamma = s->gamma;
  k->require = s->require, k->cap = s->cap;
  s->kind = s->level = s->out_start = NULL, s->gamma = s->require = s->cap = NULL;
  k->e0 = s->e0;
  for (PetscInt i = s->nloc; i >= 0; i--) k->out_start[i] -= s->e0;
  PetscCall(PetscMalloc2(ne + 1, &k->target, ne + 1, &k->weight));
  for (PetscInt j = 0; j < ne; j++) k->target[j] = s->pairs[2 * j + 1], k->weight[j] = s->weight[j];
  k->n_entry = s->n_entry;
  k->q0 = s->q0, k->nq = s->nq, k->entry = s->entry, k->entry_weight = s->entry_w;
  s->entry = NULL, s->entry_w = NULL;
  sc->slice = k;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseArrays(WalrasYAMLNode node, WalrasScenario *sc)
{
  MPI_Comm       comm = PETSC_COMM_WORLD;
  char           path[PETSC_MAX_PATH_LEN];
  hid_t          file;
  Slice          s;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&s, sizeof(s)));
  PetscCall(WalrasScenarioDataPath(node, path, sizeof(path)));
  PetscCall(PetscStrallocpy(path, &sc->arrays));
  PetscCall(WalrasH5SlabOpen(comm, path, PETSC_FALSE, &file));
  ierr = ReadShapes(file, path, sc, &s);
  if (!ierr) ierr = ReadSlice(comm, file, path, sc, &s);
  H5Fclose(file);
  if (!ierr) ierr = KeepSlice(sc, &s);
  if (!ierr) ierr = WalrasScenarioSliceCheck(comm, sc);
  PetscCall(PetscFree5(s.kind, s.level, s.out_start, s.gamma, s.require));
  PetscCall(PetscFree(s.cap));
  PetscCall(PetscFree2(s.pairs, s.weight));
  PetscCall(PetscFree2(s.entry, s.entry_w));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}
