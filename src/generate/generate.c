/* walras generate: layered random agent economies of any size, written as a
   small YAML scenario plus its arrays in HDF5 (docs/generate.md).

   Every random number is a hash of (seed, agent, stream, counter), so a rank
   computes the agents of its own slice, and the result is the same on any
   number of ranks. */

#include <walras/generate.h>

#include <stdint.h>
#include <string.h>

#include "util/h5slab.h"

PetscErrorCode WalrasGenerateDefaults(WalrasGenerateOptions *opt)
{
  PetscFunctionBegin;
  PetscCall(PetscMemzero(opt, sizeof(*opt)));
  opt->A          = 1000;
  opt->layers     = 8;
  opt->fanout     = 2;
  opt->skip       = 0.1;
  opt->R          = 2;
  opt->K          = 4;
  opt->sigma      = 0.5;
  opt->bottleneck = 0.02;
  opt->seed       = 1;
  PetscCall(PetscStrncpy(opt->demand, "flat", sizeof(opt->demand)));
  PetscFunctionReturn(0);
}

/* Random streams, one per use, so that adding a draw to one use never
   shifts the numbers of another. */
enum {
  S_TARGET = 1,
  S_SKIP,
  S_SKIPPOS,
  S_WEIGHT,
  S_KIND,
  S_GAMMA,
  S_REQUIRE,
  S_TIGHT,
  S_PARETO,
  S_BURST,
  S_SLACK
};

static inline uint64_t Mix(uint64_t z)
{
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Uniform in [0, 1), a pure function of its arguments. */
static inline PetscReal Uniform(uint64_t seed, uint64_t a, uint64_t stream, uint64_t i)
{
  uint64_t h = Mix(Mix(Mix(seed) ^ a) ^ ((stream << 40) | i));

  return (PetscReal)(h >> 11) * 0x1.0p-53;
}

typedef struct {
  const WalrasGenerateOptions *opt;
  PetscInt                    *lstart; /* [layers+1] first agent of each layer */
} Layout;

static PetscInt LayerOf(const Layout *lay, PetscInt a)
{
  PetscInt lo = 0, hi = lay->opt->layers - 1;

  while (lo < hi) {
    PetscInt mid = (lo + hi + 1) / 2;

    if (lay->lstart[mid] <= a)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

static PetscInt LayerSize(const Layout *lay, PetscInt l)
{
  return lay->lstart[l + 1] - lay->lstart[l];
}

static PetscBool Has(PetscInt n, const PetscInt *v, PetscInt x)
{
  for (PetscInt i = 0; i < n; i++)
    if (v[i] == x) return PETSC_TRUE;
  return PETSC_FALSE;
}

/* Successors of agent a (global numbers, ascending) into t (room for cap). */
static PetscInt Successors(const Layout *lay, PetscInt a, PetscInt cap, PetscInt *t)
{
  const WalrasGenerateOptions *opt = lay->opt;
  PetscInt                     l = LayerOf(lay, a), n = 0, j, n0, n1, lo, hi, window;
  long long                    jj;

  if (l + 1 >= opt->layers) return 0;
  j  = a - lay->lstart[l];
  n0 = LayerSize(lay, l);
  n1 = LayerSize(lay, l + 1);
  /* The base targets tile the next layer, so every agent there has a
     predecessor (and is reachable) and every agent here a successor. */
  jj = (long long)j * n1 / n0;
  lo = (PetscInt)jj;
  hi = PetscMax(lo + 1, (PetscInt)(((long long)j + 1) * n1 / n0));
  for (PetscInt b = lo; b < hi && n < cap; b++) t[n++] = lay->lstart[l + 1] + b;
  window = PetscMax(4, 2 * opt->fanout);
  for (PetscInt i = 0; n < opt->fanout && n < cap && i < 8 * opt->fanout; i++) {
    PetscInt b =
        lo - window +
        (PetscInt)(Uniform(opt->seed, (uint64_t)a, S_TARGET, (uint64_t)i) * (2 * window + 1));

    if (b < 0 || b >= n1 || Has(n, t, lay->lstart[l + 1] + b)) continue;
    t[n++] = lay->lstart[l + 1] + b;
  }
  if (l + 2 < opt->layers && n < cap && Uniform(opt->seed, (uint64_t)a, S_SKIP, 0) < opt->skip) {
    PetscInt n2 = LayerSize(lay, l + 2);
    PetscInt b  = (PetscInt)((long long)j * n2 / n0) - window +
                 (PetscInt)(Uniform(opt->seed, (uint64_t)a, S_SKIPPOS, 0) * (2 * window + 1));

    b      = PetscMin(PetscMax(b, 0), n2 - 1);
    t[n++] = lay->lstart[l + 2] + b;
  }
  PetscSortInt(n, t);
  return n;
}

/* Spending shares of the demand shape, normalised. */
static PetscErrorCode Shares(const WalrasGenerateOptions *opt, PetscReal *s)
{
  PetscReal sum = 0;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < opt->K; k++) {
    PetscReal x = (PetscReal)k / (PetscReal)opt->K;

    if (!strcmp(opt->demand, "flat"))
      s[k] = 1;
    else if (!strcmp(opt->demand, "diurnal"))
      s[k] = 1.0 - 0.6 * PetscCosReal(2 * PETSC_PI * x);
    else {
      /* bursty: a quiet base with one interval in eight a Pareto burst */
      PetscReal u = Uniform(opt->seed, (uint64_t)k, S_BURST, 0);

      s[k] = 0.2;
      if (u < 0.125)
        s[k] += PetscPowReal(1.0 - Uniform(opt->seed, (uint64_t)k, S_BURST, 1), -1.0 / 1.5);
    }
    sum += s[k];
  }
  for (PetscInt k = 0; k < opt->K; k++) s[k] /= sum;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckOptions(const WalrasGenerateOptions *o)
{
  PetscFunctionBegin;
  WalrasCheckInput(o->layers >= 2, "generate: --layers: expected >= 2, got %" PetscInt_FMT,
                   o->layers);
  WalrasCheckInput(o->A >= o->layers,
                   "generate: --agents: expected >= layers (%" PetscInt_FMT "), got %" PetscInt_FMT,
                   o->layers, o->A);
  WalrasCheckInput(o->fanout >= 1, "generate: --fanout: expected >= 1, got %" PetscInt_FMT,
                   o->fanout);
  WalrasCheckInput(o->skip >= 0 && o->skip <= 1,
                   "generate: --skip: expected a probability in [0, 1], got %g", (double)o->skip);
  WalrasCheckInput(o->R >= 1, "generate: --metrics: expected >= 1, got %" PetscInt_FMT, o->R);
  WalrasCheckInput(o->K >= 1, "generate: --intervals: expected >= 1, got %" PetscInt_FMT, o->K);
  /* Every good (a, r, k) has a PetscInt index in the economy's vectors. */
  WalrasCheckInput((double)o->A * (double)o->R * (double)o->K <= (double)PETSC_MAX_INT,
                   "generate: expected at most %" PetscInt_FMT " goods (agents x metrics x "
                   "intervals, the index range of this PETSc build), got %" PetscInt_FMT
                   " x %" PetscInt_FMT " x %" PetscInt_FMT " = %.4g",
                   (PetscInt)PETSC_MAX_INT, o->A, o->R, o->K,
                   (double)o->A * (double)o->R * (double)o->K);
  WalrasCheckInput(o->sigma > 0, "generate: --sigma: expected > 0, got %g", (double)o->sigma);
  WalrasCheckInput(o->bottleneck >= 0 && o->bottleneck <= 1,
                   "generate: --bottleneck: expected a fraction in [0, 1], got %g",
                   (double)o->bottleneck);
  WalrasCheckInput(!strcmp(o->demand, "flat") || !strcmp(o->demand, "diurnal") ||
                       !strcmp(o->demand, "bursty"),
                   "generate: --demand: expected flat, diurnal or bursty, got '%s'", o->demand);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteYAML(MPI_Comm comm, const WalrasGenerateOptions *o,
                                const char *yaml_path, const char *h5_path)
{
  FILE       *f;
  const char *base = strrchr(h5_path, '/');

  PetscFunctionBegin;
  PetscCall(PetscFOpen(comm, yaml_path, "w", &f));
  PetscCall(PetscFPrintf(comm, f, "walras: 1\nname: generated-%" PetscInt_FMT "-seed%llu\n", o->A,
                         o->seed));
  PetscCall(PetscFPrintf(comm, f,
                         "description: walras generate --agents %" PetscInt_FMT
                         " --layers %" PetscInt_FMT " --fanout %" PetscInt_FMT
                         " --skip %g --metrics %" PetscInt_FMT " --intervals %" PetscInt_FMT
                         " --demand %s --sigma %g --bottleneck %g --seed %llu\n",
                         o->A, o->layers, o->fanout, (double)o->skip, o->R, o->K, o->demand,
                         (double)o->sigma, (double)o->bottleneck, o->seed));
  PetscCall(PetscFPrintf(comm, f,
                         "horizon: {T: %" PetscInt_FMT ", K: %" PetscInt_FMT "}\nmetrics: [",
                         60 * o->K, o->K));
  for (PetscInt r = 0; r < o->R; r++)
    PetscCall(PetscFPrintf(comm, f, "%sm%" PetscInt_FMT, r ? ", " : "", r));
  PetscCall(PetscFPrintf(comm, f, "]\norchestrator: {sigma: %.17g}\narrays: %s\n", (double)o->sigma,
                         base ? base + 1 : h5_path));
  PetscCall(PetscFClose(comm, f));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasGenerate(MPI_Comm comm, const WalrasGenerateOptions *o, const char *yaml_path,
                              const char *h5_path)
{
  Layout   lay;
  PetscInt A = o->A, R = o->R, K = o->K, nloc = PETSC_DECIDE, a0 = 0, a1, n_edge = 0, e0 = 0, E = 0;
  PetscInt buf_cap, *t, *kind, *level, *out_start, *pairs, n_entry, entry_hi, *entry;
  PetscReal  *gamma, *cap, *req, *wgt, *entry_w, *shares;
  PetscMPIInt rank, size;
  hid_t       file, g;
  hsize_t     dims[3];

  PetscFunctionBegin;
  PetscCall(CheckOptions(o));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCallMPI(MPI_Comm_size(comm, &size));
  lay.opt = o;
  PetscCall(PetscMalloc1(o->layers + 1, &lay.lstart));
  for (PetscInt l = 0; l <= o->layers; l++)
    lay.lstart[l] = (PetscInt)((long long)l * A / o->layers);
  PetscCall(PetscSplitOwnership(comm, &nloc, &A));
  PetscCallMPI(MPI_Exscan(&nloc, &a0, 1, MPIU_INT, MPI_SUM, comm));
  if (rank == 0) a0 = 0;
  a1 = a0 + nloc;

  /* Room for the base targets (next layer over this one, rounded up), the
     random ones and a skip edge. */
  buf_cap = o->fanout + 3;
  for (PetscInt l = 0; l + 1 < o->layers; l++)
    buf_cap = PetscMax(buf_cap, o->fanout + 3 + LayerSize(&lay, l + 1) / LayerSize(&lay, l) + 1);
  PetscCall(PetscMalloc1(buf_cap, &t));

  /* Pass 1: edge counts and offsets. */
  PetscCall(PetscMalloc1(nloc + 1, &out_start));
  for (PetscInt a = a0; a < a1; a++) {
    out_start[a - a0] = n_edge;
    n_edge += Successors(&lay, a, buf_cap, t);
  }
  PetscCallMPI(MPI_Exscan(&n_edge, &e0, 1, MPIU_INT, MPI_SUM, comm));
  if (rank == 0) e0 = 0;
  PetscCallMPI(MPI_Allreduce(&n_edge, &E, 1, MPIU_INT, MPI_SUM, comm));
  for (PetscInt i = 0; i < nloc; i++) out_start[i] += e0;
  out_start[nloc] = e0 + n_edge;

  /* Pass 2: everything per agent. */
  PetscCall(PetscMalloc4(nloc + 1, &kind, nloc + 1, &level, nloc + 1, &gamma, nloc * R + 1, &req));
  PetscCall(PetscMalloc1((size_t)nloc * R * K + 1, &cap));
  PetscCall(PetscMalloc2(2 * n_edge + 1, &pairs, n_edge + 1, &wgt));
  for (PetscInt a = a0, m = 0; a < a1; a++) {
    PetscInt  i = a - a0, l = LayerOf(&lay, a), n = Successors(&lay, a, buf_cap, t);
    PetscReal per = 1.0 / (PetscReal)LayerSize(&lay, l), x, wsum = 0;

    kind[i]  = Uniform(o->seed, (uint64_t)a, S_KIND, 0) < 0.1 ? 1 : 0;
    level[i] = o->layers - 1 - l;
    gamma[i] = 1.5 + 2.0 * Uniform(o->seed, (uint64_t)a, S_GAMMA, 0);
    for (PetscInt r = 0; r < R; r++) {
      PetscReal u = Uniform(o->seed, (uint64_t)a, S_REQUIRE, (uint64_t)r);

      req[i * R + r] = (r > 0 && u < 0.2) ? 0.0 : 0.5 + u;
    }
    /* Capacity for about per = 1/layer size tasks per second times a factor:
       1 for the few tight agents, Pareto (x_m = 4, alpha = 1.5) otherwise. */
    if (Uniform(o->seed, (uint64_t)a, S_TIGHT, 0) < o->bottleneck)
      x = 1.0;
    else
      x = 4.0 * PetscPowReal(1.0 - Uniform(o->seed, (uint64_t)a, S_PARETO, 0), -1.0 / 1.5);
    /* A capacity agent whose capacities were all proportional to its
       requirements would bind on every metric at once, and then only
       sum_r p_r d_r is determined: a continuum of equilibrium prices.  Its
       metrics after the first get 1.25 to 2 times more room, so the first
       binds alone. */
    for (PetscInt r = 0; r < R; r++) {
      PetscReal d     = req[i * R + r] > 0 ? req[i * R + r] : 1.0;
      PetscReal slack = 1.0;

      if (kind[i] == 1 && r > 0)
        slack = 1.25 + 0.75 * Uniform(o->seed, (uint64_t)a, S_SLACK, (uint64_t)r);
      for (PetscInt k = 0; k < K; k++) cap[((size_t)i * R + r) * K + k] = d * per * x * slack;
    }
    for (PetscInt j = 0; j < n; j++) {
      pairs[2 * (m + j)]     = a;
      pairs[2 * (m + j) + 1] = t[j];
      wgt[m + j]             = 0.5 + Uniform(o->seed, (uint64_t)a, S_WEIGHT, (uint64_t)j);
      wsum += wgt[m + j];
    }
    /* At sigma = 1 the routing limit needs weights summing to 1. */
    if (o->sigma == 1.0)
      for (PetscInt j = 0; j < n; j++) wgt[m + j] /= wsum;
    m += n;
  }

  n_entry  = lay.lstart[1];
  entry_hi = PetscMin(a1, n_entry);
  PetscCall(PetscMalloc3(PetscMax(entry_hi - a0, 0) + 1, &entry, PetscMax(entry_hi - a0, 0) + 1,
                         &entry_w, K, &shares));
  for (PetscInt a = a0; a < entry_hi; a++) {
    entry[a - a0]   = a;
    entry_w[a - a0] = o->sigma == 1.0 ? 1.0 / (PetscReal)n_entry : 1.0;
  }
  PetscCall(Shares(o, shares));

  PetscCall(WalrasH5SlabOpen(comm, h5_path, PETSC_TRUE, &file));
  g = H5Gcreate2(file, "agents", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(g);
  g = H5Gcreate2(file, "edges", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(g);
  g = H5Gcreate2(file, "entry", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  H5Gclose(g);
  dims[0] = (hsize_t)A;
  dims[1] = (hsize_t)R;
  dims[2] = (hsize_t)K;
  PetscCall(WalrasH5SlabWrite(file, "agents/kind", WALRAS_H5T_INT, 1, dims, a0, nloc, kind));
  PetscCall(WalrasH5SlabWrite(file, "agents/level", WALRAS_H5T_INT, 1, dims, a0, nloc, level));
  PetscCall(WalrasH5SlabWrite(file, "agents/gamma", H5T_NATIVE_DOUBLE, 1, dims, a0, nloc, gamma));
  PetscCall(WalrasH5SlabWrite(file, "agents/require", H5T_NATIVE_DOUBLE, 2, dims, a0, nloc, req));
  PetscCall(WalrasH5SlabWrite(file, "agents/capacity", H5T_NATIVE_DOUBLE, 3, dims, a0, nloc, cap));
  dims[0] = (hsize_t)A + 1;
  PetscCall(WalrasH5SlabWrite(file, "agents/out_start", WALRAS_H5T_INT, 1, dims, a0,
                              nloc + (rank == size - 1 ? 1 : 0), out_start));
  dims[0] = (hsize_t)E;
  dims[1] = 2;
  PetscCall(WalrasH5SlabWrite(file, "edges/pairs", WALRAS_H5T_INT, 2, dims, e0, n_edge, pairs));
  PetscCall(WalrasH5SlabWrite(file, "edges/weight", H5T_NATIVE_DOUBLE, 1, dims, e0, n_edge, wgt));
  dims[0] = (hsize_t)n_entry;
  PetscCall(WalrasH5SlabWrite(file, "entry/agent", WALRAS_H5T_INT, 1, dims, PetscMin(a0, n_entry),
                              PetscMax(entry_hi - a0, 0), entry));
  PetscCall(WalrasH5SlabWrite(file, "entry/weight", H5T_NATIVE_DOUBLE, 1, dims,
                              PetscMin(a0, n_entry), PetscMax(entry_hi - a0, 0), entry_w));
  dims[0] = (hsize_t)K;
  PetscCall(
      WalrasH5SlabWrite(file, "shares", H5T_NATIVE_DOUBLE, 1, dims, 0, rank == 0 ? K : 0, shares));
  H5Fclose(file);
  PetscCall(WriteYAML(comm, o, yaml_path, h5_path));

  PetscCall(PetscFree3(entry, entry_w, shares));
  PetscCall(PetscFree2(pairs, wgt));
  PetscCall(PetscFree(cap));
  PetscCall(PetscFree4(kind, level, gamma, req));
  PetscCall(PetscFree(out_start));
  PetscCall(PetscFree(t));
  PetscCall(PetscFree(lay.lstart));
  PetscFunctionReturn(0);
}
