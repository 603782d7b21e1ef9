/* Checks a walras run's HDF5 file against the layout of docs/output.md and,
   optionally, its prices against a reference file.

   usage: check_output FILE.h5 SCENARIO.yaml [REFERENCE.h5]
   Exit 0 when every check passes; each failed check prints one line. */

#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <walras/output.h>
#include <walras/sys.h>

static int failures = 0;

#define CHECK(cond, ...)                                                                           \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "check_output: ");                                                           \
      fprintf(stderr, __VA_ARGS__);                                                                \
      fprintf(stderr, "\n");                                                                       \
      failures++;                                                                                  \
    }                                                                                              \
  } while (0)

/* Reads a whole real dataset; returns its rank and dims, NULL when absent. */
static double *ReadReal(hid_t file, const char *name, int *ndim, hsize_t dims[3])
{
  hid_t   dset, space;
  hsize_t n = 1;
  double *data;

  if (H5Lexists(file, name, H5P_DEFAULT) <= 0) return NULL;
  dset  = H5Dopen2(file, name, H5P_DEFAULT);
  space = H5Dget_space(dset);
  *ndim = H5Sget_simple_extent_ndims(space);
  H5Sget_simple_extent_dims(space, dims, NULL);
  for (int d = 0; d < *ndim; d++) n *= dims[d];
  data = malloc((n ? n : 1) * sizeof(double));
  H5Dread(dset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
  H5Sclose(space);
  H5Dclose(dset);
  return data;
}

static int AttrExists(hid_t file, const char *name)
{
  return H5Aexists(file, name) > 0;
}

static long long AttrInt(hid_t file, const char *name)
{
  long long v = -1;
  hid_t     a;

  if (!AttrExists(file, name)) return -1;
  a = H5Aopen(file, name, H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_LLONG, &v);
  H5Aclose(a);
  return v;
}

static double AttrReal(hid_t file, const char *name)
{
  double v = NAN;
  hid_t  a;

  if (!AttrExists(file, name)) return NAN;
  a = H5Aopen(file, name, H5P_DEFAULT);
  H5Aread(a, H5T_NATIVE_DOUBLE, &v);
  H5Aclose(a);
  return v;
}

/* A fixed-length string attribute, malloc'ed. */
static char *AttrString(hid_t file, const char *name)
{
  hid_t  a, type;
  size_t size;
  char  *v;

  if (!AttrExists(file, name)) return NULL;
  a    = H5Aopen(file, name, H5P_DEFAULT);
  type = H5Aget_type(a);
  size = H5Tget_size(type);
  v    = calloc(size + 1, 1);
  H5Aread(a, type, v);
  H5Tclose(type);
  H5Aclose(a);
  return v;
}

static void CheckLayout(hid_t file, const char *scenario_path, int *A, int *R, int *K)
{
  const char *goods[] = {"/equilibrium/prices", "/equilibrium/supply", "/equilibrium/demand",
                         "/equilibrium/excess"};
  const char *attrs[] = {"converged",      "reason",   "rounds",          "ranks",
                         "walras_version", "scenario", "scenario_sha256", "residual",
                         "walras_value",   "kappa",    "income",          "welfare",
                         "normalisation",  "partition"};
  int         ndim = 0, ndim_hist = 0;
  hsize_t     dims[3] = {0, 0, 0}, hdims[3] = {0, 0, 0};
  double     *data, *walras, *residual;

  for (size_t i = 0; i < sizeof(goods) / sizeof(goods[0]); i++) {
    data = ReadReal(file, goods[i], &ndim, dims);
    CHECK(data && ndim == 3, "%s: expected a dataset [A][R][K]", goods[i]);
    free(data);
  }
  *A   = (int)dims[0];
  *R   = (int)dims[1];
  *K   = (int)dims[2];
  data = ReadReal(file, "/equilibrium/tasks", &ndim, hdims);
  CHECK(data && ndim == 1 && (int)hdims[0] == *K, "/equilibrium/tasks: expected [K]");
  free(data);
  data = ReadReal(file, "/equilibrium/routing", &ndim, hdims);
  CHECK(data && ndim == 2 && (int)hdims[1] == *K, "/equilibrium/routing: expected [E][K]");
  free(data);
  for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
    CHECK(AttrExists(file, attrs[i]), "attribute '%s' is missing", attrs[i]);

  /* The run converged and obeyed Walras' law in every round. */
  CHECK(AttrInt(file, "converged") == 1, "converged = %lld, expected 1",
        AttrInt(file, "converged"));
  CHECK(AttrReal(file, "residual") < 1e-10, "residual %g is not below 1e-10",
        AttrReal(file, "residual"));
  walras   = ReadReal(file, "/history/walras", &ndim_hist, hdims);
  residual = ReadReal(file, "/history/residual", &ndim, dims);
  CHECK(walras && residual && (long long)hdims[0] == AttrInt(file, "rounds") + 1,
        "/history: expected rounds + 1 = %lld entries, got %d", AttrInt(file, "rounds") + 1,
        (int)hdims[0]);
  for (hsize_t r = 0; walras && r < hdims[0]; r++)
    CHECK(walras[r] <= 1e-10, "round %d: Walras value %g above 1e-10", (int)r, walras[r]);
  free(walras);
  free(residual);

  /* The stored scenario is the file, byte for byte. */
  {
    char  *text = NULL, sha[65], *stored = AttrString(file, "scenario_sha256");
    size_t len;

    if (WalrasReadTextFile(scenario_path, "the scenario", &text, &len) == 0) {
      WalrasSHA256Hex(text, len, sha);
      CHECK(stored && !strcmp(stored, sha), "scenario_sha256 %s differs from the file's %s",
            stored ? stored : "(none)", sha);
      PetscFree(text);
    }
    free(stored);
  }
}

/* max |p - q| / max |q| over all goods. */
static void ComparePrices(hid_t file, const char *reference)
{
  hid_t   ref = H5Fopen(reference, H5F_ACC_RDONLY, H5P_DEFAULT);
  int     nd1 = 0, nd2 = 0;
  hsize_t d1[3] = {0, 0, 0}, d2[3] = {0, 0, 0};
  double *p, *q, worst = 0.0, qmax = 0.0;

  CHECK(ref >= 0, "cannot open reference %s", reference);
  if (ref < 0) return;
  p = ReadReal(file, "/equilibrium/prices", &nd1, d1);
  q = ReadReal(ref, "/equilibrium/prices", &nd2, d2);
  CHECK(p && q && d1[0] == d2[0] && d1[1] == d2[1] && d1[2] == d2[2], "price shapes differ");
  if (p && q && d1[0] == d2[0] && d1[1] == d2[1] && d1[2] == d2[2]) {
    size_t n = d1[0] * d1[1] * d1[2];

    for (size_t i = 0; i < n; i++) qmax = fmax(qmax, fabs(q[i]));
    for (size_t i = 0; i < n; i++) worst = fmax(worst, fabs(p[i] - q[i]) / qmax);
    printf("max |p - p_ref| / max p_ref = %.3e\n", worst);
    CHECK(worst <= 1e-10, "prices differ from %s by %.3e relative (allowed 1e-10)", reference,
          worst);
  }
  free(p);
  free(q);
  H5Fclose(ref);
}

int main(int argc, char **argv)
{
  hid_t file;
  int   A = 0, R = 0, K = 0;

  if (argc < 3) {
    fprintf(stderr, "usage: check_output FILE.h5 SCENARIO.yaml [REFERENCE.h5]\n");
    return 2;
  }
  if (PetscInitialize(NULL, NULL, NULL, NULL)) return 2;
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  file = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
  CHECK(file >= 0, "cannot open %s", argv[1]);
  if (file >= 0) {
    CheckLayout(file, argv[2], &A, &R, &K);
    if (argc > 3) ComparePrices(file, argv[3]);
    H5Fclose(file);
  }
  printf("%s: A = %d, R = %d, K = %d, %s\n", argv[1], A, R, K, failures ? "FAILED" : "layout ok");
  PetscFinalize();
  return failures ? 1 : 0;
}
