/* Compares two walras run files of the same economy, e.g. a YAML scenario
   (replicated path) and the arrays scenario write_arrays made of it
   (distributed path), whose edges are numbered differently.

   usage: compare_runs REF.h5 RUN.h5 [ARRAYS.h5]

   Both runs converged; /equilibrium/prices, supply and demand agree to
   1e-9 relative (max |run - ref| / max |ref| over each dataset: prices of
   slack goods sit near 0, known only to the solver's absolute tolerance);
   /equilibrium/edges hold the same (from, to) pairs, each once, and the
   flows /equilibrium/routing of each pair agree to 1e-9 relative.  With
   ARRAYS.h5, RUN.h5's edges are exactly those of the file in its order:
   the entries (from = -1) first, then edges/pairs.  Exit 0 when every check
   passes; each failed check prints one line. */

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TOL 1e-9

static int failures = 0;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "compare_runs: ");                                                           \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fprintf(stderr, "\n");                                                                       \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

typedef struct {
  int     ndim;
  hsize_t dims[3];
  size_t  n;
  void   *data;
} Dataset;

/* The whole dataset as doubles or long longs; data NULL when absent. */
static Dataset Read(hid_t file, const char *name, hid_t mem_type, size_t size)
{
  Dataset d = {0, {0, 0, 0}, 1, NULL};
  hid_t   dset, space;

  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return d;
  dset   = H5Dopen2(file, name, H5P_DEFAULT);
  space  = H5Dget_space(dset);
  d.ndim = H5Sget_simple_extent_ndims(space);
  if (d.ndim >= 1 && d.ndim <= 3) {
    H5Sget_simple_extent_dims(space, d.dims, NULL);
    for (int i = 0; i < d.ndim; i++) d.n *= d.dims[i];
    d.data = calloc(d.n ? d.n : 1, size);
    if (H5Dread(dset, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, d.data) < 0) {
      free(d.data);
      d.data = NULL;
    }
  }
  H5Sclose(space);
  H5Dclose(dset);
  return d;
}

static Dataset ReadReal(hid_t file, const char *name)
{
  Dataset d = Read(file, name, H5T_NATIVE_DOUBLE, sizeof(double));

  CHECK(d.data, "%s: cannot read it", name);
  return d;
}

static Dataset ReadInt(hid_t file, const char *name)
{
  Dataset d = Read(file, name, H5T_NATIVE_LLONG, sizeof(long long));

  CHECK(d.data, "%s: cannot read it", name);
  return d;
}

static int SameShape(const Dataset *a, const Dataset *b)
{
  if (a->ndim != b->ndim) return 0;
  for (int i = 0; i < a->ndim; i++)
    if (a->dims[i] != b->dims[i]) return 0;
  return 1;
}

static long long Converged(hid_t file)
{
  long long v = -1;
  hid_t     a;

  if (H5Aexists(file, "converged") <= 0) return -1;
  a = H5Aopen(file, "converged", H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_LLONG, &v);
  H5Aclose(a);
  return v;
}

/* max |run - ref| / max |ref|, rows of ref picked by row (NULL: the same
   order), width values per row. */
static double Worst(const Dataset *ref, const Dataset *run, const size_t *row, size_t width)
{
  const double *p = ref->data, *q = run->data;
  double        scale = 0, worst = 0;

  for (size_t i = 0; i < ref->n; i++) scale = fmax(scale, fabs(p[i]));
  for (size_t i = 0; i < run->n; i++) {
    size_t j = row ? row[i / width] * width + i % width : i;

    worst = fmax(worst, fabs(q[i] - p[j]));
  }
  return scale > 0 ? worst / scale : worst;
}

static void CompareGoods(hid_t ref, hid_t run)
{
  const char *names[] = {"/equilibrium/prices", "/equilibrium/supply", "/equilibrium/demand"};

  for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    Dataset a = ReadReal(ref, names[i]), b = ReadReal(run, names[i]);

    if (a.data && b.data) {
      CHECK(SameShape(&a, &b) && a.ndim == 3, "%s: shapes differ", names[i]);
      if (SameShape(&a, &b)) {
        double worst = Worst(&a, &b, NULL, 1);

        printf("%s: max |run - ref| / max |ref| = %.3e\n", names[i], worst);
        CHECK(worst <= TOL, "%s: differs by %.3e relative (allowed %g)", names[i], worst, TOL);
      }
    }
    free(a.data);
    free(b.data);
  }
}

/* For each edge of run, the row of ref with the same (from, to); each pair
   must be there once in both. */
static int MatchEdges(const Dataset *ref, const Dataset *run, size_t *row)
{
  const long long *p = ref->data, *q = run->data;
  size_t           E  = run->dims[0];
  int              ok = 1;

  if (!SameShape(ref, run) || run->ndim != 2 || run->dims[1] != 2) {
    CHECK(0, "/equilibrium/edges: shapes differ or are not [E][2]");
    return 0;
  }
  for (size_t e = 0; e < E; e++) {
    size_t in_ref = 0, in_run = 0;

    for (size_t f = 0; f < E; f++) {
      if (p[2 * f] == q[2 * e] && p[2 * f + 1] == q[2 * e + 1]) row[e] = f, in_ref++;
      if (q[2 * f] == q[2 * e] && q[2 * f + 1] == q[2 * e + 1]) in_run++;
    }
    CHECK(in_ref == 1 && in_run == 1,
          "/equilibrium/edges: edge %zu (%lld -> %lld) is %zu times in the reference, %zu times "
          "in the run, expected once in each",
          e, q[2 * e], q[2 * e + 1], in_ref, in_run);
    if (in_ref != 1 || in_run != 1) ok = 0;
  }
  return ok;
}

static void CompareRouting(hid_t ref, hid_t run)
{
  Dataset a = ReadInt(ref, "/equilibrium/edges"), b = ReadInt(run, "/equilibrium/edges");
  Dataset fa = ReadReal(ref, "/equilibrium/routing"), fb = ReadReal(run, "/equilibrium/routing");
  size_t *row = calloc(b.dims[0] + 1, sizeof(size_t));

  if (a.data && b.data && fa.data && fb.data && MatchEdges(&a, &b, row)) {
    CHECK(SameShape(&fa, &fb) && fb.ndim == 2 && fb.dims[0] == b.dims[0],
          "/equilibrium/routing: shapes differ or are not [E][K]");
    if (SameShape(&fa, &fb)) {
      double worst = Worst(&fa, &fb, row, fb.dims[1]);

      printf("/equilibrium/routing (matched by edge): max |run - ref| / max |ref| = %.3e\n", worst);
      CHECK(worst <= TOL, "/equilibrium/routing: differs by %.3e relative (allowed %g)", worst,
            TOL);
    }
  }
  free(row);
  free(a.data);
  free(b.data);
  free(fa.data);
  free(fb.data);
}

/* The run's edges are the arrays file's, in the file's order. */
static void CompareEdgeOrder(hid_t run, const char *arrays_path)
{
  hid_t   arrays = H5Fopen(arrays_path, H5F_ACC_RDONLY, H5P_DEFAULT);
  Dataset edges, entry, pairs;

  CHECK(arrays >= 0, "cannot open %s", arrays_path);
  if (arrays < 0) return;
  edges = ReadInt(run, "/equilibrium/edges");
  entry = ReadInt(arrays, "entry/agent");
  pairs = ReadInt(arrays, "edges/pairs");
  if (edges.data && entry.data && pairs.data) {
    const long long *g = edges.data, *q = entry.data, *pr = pairs.data;
    size_t           n = entry.dims[0], E = n + pairs.dims[0], bad = 0;

    CHECK(edges.ndim == 2 && edges.dims[0] == E && edges.dims[1] == 2,
          "/equilibrium/edges: expected [%zu][2] (entries and edges/pairs of %s)", E, arrays_path);
    for (size_t e = 0; e < E && edges.dims[0] == E; e++) {
      long long from = e < n ? -1 : pr[2 * (e - n)], to = e < n ? q[e] : pr[2 * (e - n) + 1];

      if (g[2 * e] != from || g[2 * e + 1] != to) {
        if (!bad++)
          CHECK(0, "/equilibrium/edges: edge %zu is (%lld, %lld), expected (%lld, %lld) from %s", e,
                g[2 * e], g[2 * e + 1], from, to, arrays_path);
      }
    }
    if (!bad) printf("/equilibrium/edges: the %zu edges of %s in its order\n", E, arrays_path);
  }
  free(edges.data);
  free(entry.data);
  free(pairs.data);
  H5Fclose(arrays);
}

int main(int argc, char **argv)
{
  hid_t ref, run;

  if (argc < 3 || argc > 4) {
    fprintf(stderr, "usage: compare_runs REF.h5 RUN.h5 [ARRAYS.h5]\n");
    return 2;
  }
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  ref = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  run = H5Fopen(argv[2], H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(ref >= 0, "cannot open %s", argv[1]);
  CHECK(run >= 0, "cannot open %s", argv[2]);
  if (ref >= 0 && run >= 0) {
    CHECK(Converged(ref) == 1, "%s: converged = %lld, expected 1", argv[1], Converged(ref));
    CHECK(Converged(run) == 1, "%s: converged = %lld, expected 1", argv[2], Converged(run));
    CompareGoods(ref, run);
    CompareRouting(ref, run);
    if (argc == 4) CompareEdgeOrder(run, argv[3]);
  }
  if (ref >= 0) H5Fclose(ref);
  if (run >= 0) H5Fclose(run);
  printf("compare_runs: %s against %s: %s\n", argv[2], argv[1], failures ? "FAILED" : "same");
  return failures ? 1 : 0;
}
