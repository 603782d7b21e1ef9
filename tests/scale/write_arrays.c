/* write_arrays: a YAML scenario rewritten as an arrays scenario
   (docs/generate.md), optionally with one defect that the distributed
   checks of src/scenario/scenario_slice.c must find.

   usage: write_arrays IN.yaml OUT.yaml [--defect NAME] [--spread-levels]

   Writes OUT.yaml and OUT.h5 (the .yaml replaced) with plain serial HDF5,
   independently of the generator, so that the tests compare the arrays
   path with the replicated one on the same economy.  Agents keep their
   scenario order (prices compare element by element); edges are sorted by
   source, keeping the file order within a source; levels are the heights
   above the exits, or with --spread-levels other levels that still fall
   along every edge (the format asks no more).  One rank; one orchestrator;
   equal intervals (what the inputs of the tests need).

   Defects (each prints what it changed on stdout):
     level              one edge's source gets its target's level
     duplicate          one out-edge is given twice
     duplicate_entry    one entry agent is given twice
     unreachable        an extra agent without predecessor or entry
     unreachable_chain  and a second one, its only predecessor
     sigma_one          sigma 1, one agent's weights summing to 1.25
     sigma_one_entry    sigma 1, the entry weights summing to 1.5
   They sit at agents of the third of 4 even slices where they can, so at
   4 ranks the error is found away from rank 0 and across ranks. */

#include <hdf5.h>
#include <stdio.h>
#include <string.h>

#include <walras/scenario.h>

typedef struct {
  PetscInt        A, R, K, E, n_entry;
  PetscInt       *kind, *level;          /* [A] */
  PetscReal      *gamma, *require, *cap; /* [A], [A*R], [A*R*K] */
  WalrasEdgeSpec *edge;                  /* [E] sorted by source, from >= 0 */
  PetscInt       *out_start;             /* [A+1] */
  PetscInt       *entry;                 /* [n_entry] */
  PetscReal      *entry_weight;          /* [n_entry] */
  PetscReal       sigma;
} Arrays;

#define CheckH5(id, what)                                                                          \
  PetscCheck((id) >= 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "write_arrays: HDF5 failed: %s",    \
             what)

/* First agent of rank q's slice when size ranks split A agents evenly, as
   PetscSplitOwnership does for the arrays reader. */
static PetscInt SliceStart(PetscInt A, PetscInt q, PetscInt size)
{
  return q * (A / size) + PetscMin(q, A % size);
}

static PetscInt SliceOf(PetscInt A, PetscInt a, PetscInt size)
{
  PetscInt q = 0;

  while (q + 1 < size && SliceStart(A, q + 1, size) <= a) q++;
  return q;
}

static PetscErrorCode RebuildOffsets(Arrays *arr)
{
  PetscFunctionBegin;
  for (PetscInt a = 0; a <= arr->A; a++) arr->out_start[a] = 0;
  for (PetscInt e = 0; e < arr->E; e++) {
    PetscCheck(e == 0 || arr->edge[e - 1].from <= arr->edge[e].from, PETSC_COMM_SELF,
               PETSC_ERR_PLIB, "write_arrays: edges not sorted by source at %" PetscInt_FMT, e);
    arr->out_start[arr->edge[e].from + 1]++;
  }
  for (PetscInt a = 0; a < arr->A; a++) arr->out_start[a + 1] += arr->out_start[a];
  PetscFunctionReturn(0);
}

/* Height above the exits: the longest path to an agent without successor,
   by relaxing every edge until nothing changes (at most one pass per level
   and one more; A is small here). */
static void ComputeLevels(Arrays *arr)
{
  PetscBool changed = PETSC_TRUE;

  for (PetscInt a = 0; a < arr->A; a++) arr->level[a] = 0;
  for (PetscInt pass = 0; pass <= arr->A && changed; pass++) {
    changed = PETSC_FALSE;
    for (PetscInt e = 0; e < arr->E; e++) {
      const WalrasEdgeSpec *g = &arr->edge[e];

      if (arr->level[g->from] < arr->level[g->to] + 1) {
        arr->level[g->from] = arr->level[g->to] + 1;
        changed             = PETSC_TRUE;
      }
    }
  }
}

/* Room for two agents and two edges more than the scenario has, for the
   defects. */
static PetscErrorCode ArraysCreate(const WalrasScenario *sc, Arrays *arr)
{
  const PetscInt A = sc->A + 2, R = sc->R, K = sc->K, E = sc->E + 2;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(arr, sizeof(*arr)));
  arr->A = sc->A, arr->R = R, arr->K = K, arr->sigma = sc->sigma;
  PetscCall(PetscMalloc5(A, &arr->kind, A, &arr->level, A, &arr->gamma, A * R, &arr->require,
                         A * R * K, &arr->cap));
  PetscCall(
      PetscMalloc4(E, &arr->edge, A + 1, &arr->out_start, E, &arr->entry, E, &arr->entry_weight));
  PetscFunctionReturn(0);
}

static PetscErrorCode ArraysDestroy(Arrays *arr)
{
  PetscFunctionBegin;
  PetscCall(PetscFree5(arr->kind, arr->level, arr->gamma, arr->require, arr->cap));
  PetscCall(PetscFree4(arr->edge, arr->out_start, arr->entry, arr->entry_weight));
  PetscFunctionReturn(0);
}

/* What the arrays format can say of this scenario: one orchestrator and
   intervals of equal length (the YAML written below has only T and K).
   A demand trace's arrivals are not written (the format has none); the
   capacities made of them are, resolved. */
static PetscErrorCode CheckSupported(const WalrasScenario *sc)
{
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCheck(size == 1, PETSC_COMM_SELF, PETSC_ERR_SUP, "write_arrays: run it on one rank, not %d",
             size);
  PetscCheck(sc->agents && sc->H <= 1, PETSC_COMM_SELF, PETSC_ERR_SUP,
             "write_arrays: %s: expected a YAML scenario with one orchestrator", sc->path);
  for (PetscInt k = 0; k < sc->K; k++)
    PetscCheck(PetscAbsReal(sc->dt[k] - sc->T / sc->K) <= 1e-12 * sc->T, PETSC_COMM_SELF,
               PETSC_ERR_SUP,
               "write_arrays: %s: interval %" PetscInt_FMT " has length %g, expected T / K = %g",
               sc->path, k, (double)sc->dt[k], (double)(sc->T / sc->K));
  PetscFunctionReturn(0);
}

/* The agents in scenario order, the entries in their order, the other
   edges by a stable counting sort on their source. */
static PetscErrorCode FromScenario(const WalrasScenario *sc, Arrays *arr)
{
  const PetscInt RK = sc->R * sc->K;

  PetscFunctionBegin;
  PetscCall(CheckSupported(sc));
  PetscCall(ArraysCreate(sc, arr));
  for (PetscInt a = 0; a < sc->A; a++) {
    const WalrasAgentSpec *g = &sc->agents[a];

    arr->kind[a]  = g->kind;
    arr->gamma[a] = g->kind == WALRAS_FIRM_FRONTIER ? g->gamma : 0;
    PetscCall(PetscArraycpy(arr->require + a * sc->R, g->require, sc->R));
    PetscCall(PetscArraycpy(arr->cap + a * RK, g->cap, RK));
  }
  PetscCall(PetscArrayzero(arr->out_start, sc->A + 1));
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from < 0) {
      arr->entry[arr->n_entry]          = sc->edges[e].to;
      arr->entry_weight[arr->n_entry++] = sc->edges[e].weight;
    } else
      arr->out_start[sc->edges[e].from + 1]++;
  for (PetscInt a = 0; a < sc->A; a++) arr->out_start[a + 1] += arr->out_start[a];
  arr->E = arr->out_start[sc->A];
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from >= 0) arr->edge[arr->out_start[sc->edges[e].from]++] = sc->edges[e];
  PetscCall(RebuildOffsets(arr));
  ComputeLevels(arr);
  PetscFunctionReturn(0);
}

/* Inserts e after the out-edges its source already has. */
static PetscErrorCode InsertEdge(Arrays *arr, WalrasEdgeSpec e)
{
  PetscInt at = arr->out_start[e.from + 1];

  PetscFunctionBegin;
  for (PetscInt j = arr->E; j > at; j--) arr->edge[j] = arr->edge[j - 1];
  arr->edge[at] = e;
  arr->E++;
  PetscCall(RebuildOffsets(arr));
  PetscFunctionReturn(0);
}

/* The first agent from the third of 4 slices on (then from 0) with at
   least min_out out-edges. */
static PetscErrorCode PickAgent(const Arrays *arr, PetscInt min_out, PetscInt *pick)
{
  const PetscInt a0 = SliceStart(arr->A, 2, 4);

  PetscFunctionBegin;
  for (PetscInt i = 0; i < arr->A; i++) {
    PetscInt a = (a0 + i) % arr->A;

    if (arr->out_start[a + 1] - arr->out_start[a] >= min_out) {
      *pick = a;
      PetscFunctionReturn(0);
    }
  }
  SETERRQ(PETSC_COMM_SELF, PETSC_ERR_SUP,
          "write_arrays: no agent with %" PetscInt_FMT " out-edges for this defect", min_out);
}

/* The source drops to the level of its highest target (the first of
   them), so that edge is the first one the level check meets; an edge
   whose ends are in different slices at 4 ranks is preferred. */
static PetscErrorCode DefectLevel(Arrays *arr)
{
  PetscInt pick = -1, a0 = SliceStart(arr->A, 2, 4);

  PetscFunctionBegin;
  for (PetscInt i = 0; i < arr->A && pick < 0; i++) {
    PetscInt a = (a0 + i) % arr->A, best = -1;

    for (PetscInt j = arr->out_start[a]; j < arr->out_start[a + 1]; j++)
      if (best < 0 || arr->level[arr->edge[j].to] > arr->level[arr->edge[best].to]) best = j;
    if (best >= 0 && SliceOf(arr->A, a, 4) != SliceOf(arr->A, arr->edge[best].to, 4)) pick = best;
  }
  PetscCheck(pick >= 0, PETSC_COMM_SELF, PETSC_ERR_SUP,
             "write_arrays: no edge between slices for the level defect");
  arr->level[arr->edge[pick].from] = arr->level[arr->edge[pick].to];
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: defect level: edge %" PetscInt_FMT " (%" PetscInt_FMT
                        " -> %" PetscInt_FMT "), both at level %" PetscInt_FMT "\n",
                        pick, arr->edge[pick].from, arr->edge[pick].to,
                        arr->level[arr->edge[pick].to]));
  PetscFunctionReturn(0);
}

/* The first out-edge of an agent with two or more, again after the last. */
static PetscErrorCode DefectDuplicate(Arrays *arr)
{
  PetscInt a, first, again;

  PetscFunctionBegin;
  PetscCall(PickAgent(arr, 2, &a));
  first = arr->out_start[a];
  again = arr->out_start[a + 1];
  PetscCall(InsertEdge(arr, arr->edge[first]));
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: defect duplicate: edge %" PetscInt_FMT " (%" PetscInt_FMT
                        " -> %" PetscInt_FMT ") again at index %" PetscInt_FMT "\n",
                        first, a, arr->edge[first].to, again));
  PetscFunctionReturn(0);
}

/* The first entry again at the end of entry/agent, so at 4 ranks the two
   are in different slices. */
static PetscErrorCode DefectDuplicateEntry(Arrays *arr)
{
  PetscFunctionBegin;
  arr->entry[arr->n_entry]          = arr->entry[0];
  arr->entry_weight[arr->n_entry++] = arr->entry_weight[0];
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: defect duplicate_entry: entry 0 (agent %" PetscInt_FMT
                        ") again at index %" PetscInt_FMT "\n",
                        arr->entry[0], arr->n_entry - 1));
  PetscFunctionReturn(0);
}

/* Levels that still fall along every edge (3 l_a >= 3 l_b + 3 > 3 l_b + 1)
   but are no longer the heights: gaps between them, exits at 0 or 1. */
static PetscErrorCode SpreadLevels(Arrays *arr)
{
  PetscFunctionBegin;
  for (PetscInt a = 0; a < arr->A; a++) arr->level[a] = 3 * arr->level[a] + a % 2;
  PetscCall(PetscPrintf(PETSC_COMM_SELF, "write_arrays: levels spread to 3 level + a %% 2\n"));
  PetscFunctionReturn(0);
}

/* A copy of agent p (of the last agent for p = A) at index p, without
   edges; the agents from p on move up by one. */
static PetscErrorCode InsertAgent(Arrays *arr, PetscInt p)
{
  const PetscInt n = arr->A - p, R = arr->R, RK = arr->R * arr->K;

  PetscFunctionBegin;
  PetscCall(PetscArraymove(arr->kind + p + 1, arr->kind + p, n));
  PetscCall(PetscArraymove(arr->level + p + 1, arr->level + p, n));
  PetscCall(PetscArraymove(arr->gamma + p + 1, arr->gamma + p, n));
  PetscCall(PetscArraymove(arr->require + (p + 1) * R, arr->require + p * R, n * R));
  PetscCall(PetscArraymove(arr->cap + (p + 1) * RK, arr->cap + p * RK, n * RK));
  if (n == 0) {
    arr->kind[p]  = arr->kind[p - 1];
    arr->level[p] = arr->level[p - 1];
    arr->gamma[p] = arr->gamma[p - 1];
    PetscCall(PetscArraycpy(arr->require + p * R, arr->require + (p - 1) * R, R));
    PetscCall(PetscArraycpy(arr->cap + p * RK, arr->cap + (p - 1) * RK, RK));
  }
  arr->A++;
  for (PetscInt e = 0; e < arr->E; e++) {
    if (arr->edge[e].from >= p) arr->edge[e].from++;
    if (arr->edge[e].to >= p) arr->edge[e].to++;
  }
  for (PetscInt q = 0; q < arr->n_entry; q++)
    if (arr->entry[q] >= p) arr->entry[q]++;
  PetscCall(RebuildOffsets(arr));
  PetscFunctionReturn(0);
}

/* The last agent at level 0 other than skip. */
static PetscInt LastExit(const Arrays *arr, PetscInt skip)
{
  PetscInt exit = -1;

  for (PetscInt a = 0; a < arr->A; a++)
    if (a != skip && arr->level[a] == 0) exit = a;
  return exit;
}

/* An agent in the middle with no predecessor and no entry, level 1, one
   edge to an exit.  With chain, a second one appended at the end, at
   level 2, is its only predecessor: the first is then unreachable only
   because its predecessor is (and has the lower index, so it is the one
   named). */
static PetscErrorCode DefectUnreachable(Arrays *arr, PetscBool chain)
{
  const PetscInt p = arr->A / 2;
  PetscInt       exit;

  PetscFunctionBegin;
  PetscCall(InsertAgent(arr, p));
  arr->level[p] = 1;
  exit          = LastExit(arr, p);
  PetscCall(InsertEdge(arr, (WalrasEdgeSpec){p, exit, 1}));
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: defect unreachable: agent %" PetscInt_FMT
                        " with one edge to the exit %" PetscInt_FMT "\n",
                        p, exit));
  if (!chain) PetscFunctionReturn(0);
  PetscCall(InsertAgent(arr, arr->A));
  arr->level[arr->A - 1] = 2;
  PetscCall(InsertEdge(arr, (WalrasEdgeSpec){arr->A - 1, p, 1}));
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: defect unreachable_chain: agent %" PetscInt_FMT
                        ", its only predecessor (%" PetscInt_FMT " agents)\n",
                        arr->A - 1, arr->A));
  PetscFunctionReturn(0);
}

/* Weights out of every agent and of the entry scaled to sum 1, then one
   of those sums broken. */
static PetscErrorCode DefectSigmaOne(Arrays *arr, PetscBool entry)
{
  PetscReal sum = 0;
  PetscInt  a;

  PetscFunctionBegin;
  arr->sigma = 1;
  for (PetscInt q = 0; q < arr->n_entry; q++) sum += arr->entry_weight[q];
  for (PetscInt q = 0; q < arr->n_entry; q++) arr->entry_weight[q] /= sum;
  for (a = 0; a < arr->A; a++) {
    sum = 0;
    for (PetscInt j = arr->out_start[a]; j < arr->out_start[a + 1]; j++) sum += arr->edge[j].weight;
    for (PetscInt j = arr->out_start[a]; j < arr->out_start[a + 1]; j++) arr->edge[j].weight /= sum;
  }
  if (entry) {
    for (PetscInt q = 0; q < arr->n_entry; q++) arr->entry_weight[q] *= 1.5;
    PetscCall(PetscPrintf(PETSC_COMM_SELF,
                          "write_arrays: defect sigma_one_entry: entry weights sum to 1.5\n"));
    PetscFunctionReturn(0);
  }
  /* Equal weights plus 0.25 on the first: the sum prints as 1.25. */
  PetscCall(PickAgent(arr, 2, &a));
  for (PetscInt j = arr->out_start[a]; j < arr->out_start[a + 1]; j++)
    arr->edge[j].weight = 1.0 / (PetscReal)(arr->out_start[a + 1] - arr->out_start[a]);
  arr->edge[arr->out_start[a]].weight += 0.25;
  PetscCall(PetscPrintf(
      PETSC_COMM_SELF,
      "write_arrays: defect sigma_one: weights out of agent %" PetscInt_FMT " sum to 1.25\n", a));
  PetscFunctionReturn(0);
}

static PetscErrorCode ApplyDefect(Arrays *arr, const char *defect)
{
  PetscFunctionBegin;
  if (!defect) PetscFunctionReturn(0);
  if (!strcmp(defect, "level"))
    PetscCall(DefectLevel(arr));
  else if (!strcmp(defect, "duplicate"))
    PetscCall(DefectDuplicate(arr));
  else if (!strcmp(defect, "duplicate_entry"))
    PetscCall(DefectDuplicateEntry(arr));
  else if (!strcmp(defect, "unreachable") || !strcmp(defect, "unreachable_chain"))
    PetscCall(DefectUnreachable(arr, (PetscBool)!strcmp(defect, "unreachable_chain")));
  else if (!strcmp(defect, "sigma_one") || !strcmp(defect, "sigma_one_entry"))
    PetscCall(DefectSigmaOne(arr, (PetscBool)!strcmp(defect, "sigma_one_entry")));
  else
    SETERRQ(PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG,
            "write_arrays: unknown defect '%s' (level, duplicate, duplicate_entry, "
            "unreachable, unreachable_chain, sigma_one, sigma_one_entry)",
            defect);
  PetscFunctionReturn(0);
}

/* One whole dataset: int64 or double in the file, from PetscInt or
   PetscReal in memory. */
static PetscErrorCode WriteDataset(hid_t file, const char *name, PetscBool integers, int ndim,
                                   const hsize_t dims[], const void *data)
{
  hid_t file_type = integers ? H5T_STD_I64LE : H5T_IEEE_F64LE;
  hid_t mem_type =
      integers ? (sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32) : H5T_NATIVE_DOUBLE;
  hid_t space, dset;

  PetscFunctionBegin;
  space = H5Screate_simple(ndim, dims, NULL);
  CheckH5(space, name);
  dset = H5Dcreate2(file, name, file_type, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CheckH5(dset, name);
  CheckH5(H5Dwrite(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
  CheckH5(H5Dclose(dset), name);
  CheckH5(H5Sclose(space), name);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteH5(const char *path, const WalrasScenario *sc, const Arrays *arr)
{
  const char *groups[] = {"agents", "edges", "entry"};
  hsize_t     dims[3]  = {(hsize_t)arr->A, (hsize_t)arr->R, (hsize_t)arr->K};
  PetscInt   *pairs;
  PetscReal  *weight;
  hid_t       file;

  PetscFunctionBegin;
  file = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CheckH5(file, path);
  for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
    hid_t g = H5Gcreate2(file, groups[i], H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);

    CheckH5(g, groups[i]);
    CheckH5(H5Gclose(g), groups[i]);
  }
  PetscCall(WriteDataset(file, "agents/kind", PETSC_TRUE, 1, dims, arr->kind));
  PetscCall(WriteDataset(file, "agents/gamma", PETSC_FALSE, 1, dims, arr->gamma));
  PetscCall(WriteDataset(file, "agents/level", PETSC_TRUE, 1, dims, arr->level));
  PetscCall(WriteDataset(file, "agents/require", PETSC_FALSE, 2, dims, arr->require));
  PetscCall(WriteDataset(file, "agents/capacity", PETSC_FALSE, 3, dims, arr->cap));
  dims[0] = (hsize_t)arr->A + 1;
  PetscCall(WriteDataset(file, "agents/out_start", PETSC_TRUE, 1, dims, arr->out_start));

  PetscCall(PetscMalloc2(2 * arr->E + 1, &pairs, arr->E + 1, &weight));
  for (PetscInt e = 0; e < arr->E; e++) {
    pairs[2 * e]     = arr->edge[e].from;
    pairs[2 * e + 1] = arr->edge[e].to;
    weight[e]        = arr->edge[e].weight;
  }
  dims[0] = (hsize_t)arr->E, dims[1] = 2;
  PetscCall(WriteDataset(file, "edges/pairs", PETSC_TRUE, 2, dims, pairs));
  PetscCall(WriteDataset(file, "edges/weight", PETSC_FALSE, 1, dims, weight));
  PetscCall(PetscFree2(pairs, weight));

  dims[0] = (hsize_t)arr->n_entry;
  PetscCall(WriteDataset(file, "entry/agent", PETSC_TRUE, 1, dims, arr->entry));
  PetscCall(WriteDataset(file, "entry/weight", PETSC_FALSE, 1, dims, arr->entry_weight));
  dims[0] = (hsize_t)sc->K;
  PetscCall(WriteDataset(file, "shares", PETSC_FALSE, 1, dims, sc->shares));
  CheckH5(H5Fclose(file), path);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteYAML(const char *path, const char *h5_path, const WalrasScenario *sc,
                                const Arrays *arr, const char *defect)
{
  const char *base = strrchr(h5_path, '/');
  FILE       *f    = fopen(path, "w");

  PetscFunctionBegin;
  PetscCheck(f, PETSC_COMM_SELF, PETSC_ERR_FILE_OPEN, "write_arrays: cannot write %s", path);
  fprintf(f, "# Written by tests/scale/write_arrays from %s%s%s\n", sc->path,
          defect ? " with the defect " : "", defect ? defect : "");
  fprintf(f, "walras: 1\nname: %s\n", sc->name);
  fprintf(f, "horizon: {T: %.17g, K: %" PetscInt_FMT "}\nmetrics: [", (double)sc->T, sc->K);
  for (PetscInt r = 0; r < sc->R; r++) fprintf(f, "%s%s", r ? ", " : "", sc->metrics[r]);
  fprintf(f, "]\norchestrator: {sigma: %.17g}\narrays: %s\n", (double)arr->sigma,
          base ? base + 1 : h5_path);
  PetscCheck(fclose(f) == 0, PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "write_arrays: cannot write %s",
             path);
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(int argc, char **argv)
{
  const char     *usage  = "usage: write_arrays IN.yaml OUT.yaml [--defect NAME] [--spread-levels]";
  const char     *defect = NULL;
  PetscBool       spread = PETSC_FALSE;
  char            h5_path[PETSC_MAX_PATH_LEN];
  size_t          len;
  WalrasScenario *sc;
  Arrays          arr;

  PetscFunctionBegin;
  PetscCheck(argc >= 3, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "%s", usage);
  for (int i = 3; i < argc; i++) {
    if (!strcmp(argv[i], "--defect") && i + 1 < argc)
      defect = argv[++i];
    else if (!strcmp(argv[i], "--spread-levels"))
      spread = PETSC_TRUE;
    else
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "%s", usage);
  }
  len = strlen(argv[2]);
  PetscCheck(len > 5 && !strcmp(argv[2] + len - 5, ".yaml") && len < sizeof(h5_path),
             PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "write_arrays: OUT must end in .yaml, got %s",
             argv[2]);
  PetscCall(PetscSNPrintf(h5_path, sizeof(h5_path), "%.*s.h5", (int)(len - 5), argv[2]));

  PetscCall(WalrasScenarioLoad(argv[1], &sc));
  PetscCall(FromScenario(sc, &arr));
  if (spread) PetscCall(SpreadLevels(&arr));
  PetscCall(ApplyDefect(&arr, defect));
  PetscCall(WriteH5(h5_path, sc, &arr));
  PetscCall(WriteYAML(argv[2], h5_path, sc, &arr, defect));
  PetscCall(PetscPrintf(PETSC_COMM_SELF,
                        "write_arrays: %s: %" PetscInt_FMT " agents, %" PetscInt_FMT
                        " edges, %" PetscInt_FMT " entries\n",
                        h5_path, arr.A, arr.E, arr.n_entry));
  PetscCall(ArraysDestroy(&arr));
  PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  /* PETSc would take --defect for one of its options. */
  if (PetscInitialize(NULL, NULL, NULL, NULL)) return 1;
  /* Bad input (the scenario) in one line, as walras prints it. */
  ierr = WalrasErrorHandlerPush();
  if (!ierr) ierr = Run(argc, argv);
  if (PetscFinalize()) return 1;
  return ierr ? 1 : 0;
}
