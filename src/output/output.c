/* The HDF5 file of a run: temporary file, collective writes, rename. */

#include <walras/output.h>
#include <walras/version.h>

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output/h5util.h"

struct _p_WalrasOutput {
  MPI_Comm    comm;
  PetscMPIInt rank, size;
  hid_t       file;
  char        path[PETSC_MAX_PATH_LEN], tmp[PETSC_MAX_PATH_LEN + 32];
};

PetscErrorCode WalrasSHA256Hex(const char *text, size_t len, char out[65])
{
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int  n = 0;

  PetscFunctionBegin;
  PetscCheck(EVP_Digest(text, len, digest, &n, EVP_sha256(), NULL) == 1 && n == 32, PETSC_COMM_SELF,
             PETSC_ERR_LIB, "SHA-256 failed");
  for (unsigned int i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", digest[i]);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasOutputOpen(MPI_Comm comm, const char *path, WalrasOutput *out)
{
  WalrasOutput o;
  hid_t        fapl;
  long         stamp = 0;
  int          ok;

  PetscFunctionBegin;
  PetscCall(PetscNew(&o));
  o->comm = comm;
  PetscCallMPI(MPI_Comm_rank(comm, &o->rank));
  PetscCallMPI(MPI_Comm_size(comm, &o->size));
  PetscCall(PetscStrncpy(o->path, path, sizeof(o->path)));

  /* One temporary name for all ranks, unique to this job: rank 0's pid. */
  if (o->rank == 0) stamp = (long)getpid();
  PetscCallMPI(MPI_Bcast(&stamp, 1, MPI_LONG, 0, comm));
  PetscCall(PetscSNPrintf(o->tmp, sizeof(o->tmp), "%s.tmp-%ld", path, stamp));

  /* HDF5 prints its own error stack by default; walras reports instead. */
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  H5Pset_all_coll_metadata_ops(fapl, 1);
  H5Pset_coll_metadata_write(fapl, 1);
  /* The newer format stores attributes of any size (the scenario text). */
  H5Pset_libver_bounds(fapl, H5F_LIBVER_V18, H5F_LIBVER_LATEST);
  o->file = H5Fcreate(o->tmp, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  H5Pclose(fapl);
  ok = o->file >= 0;
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm));
  if (!ok) {
    if (o->file >= 0) H5Fclose(o->file);
    PetscCall(PetscFree(o));
    WalrasInputError(
        "-o %s: cannot create the output file (does its folder exist and is it writable?)", path);
  }
  *out = o;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasOutputCommit(WalrasOutput *out)
{
  WalrasOutput o  = *out;
  int          ok = 1;

  PetscFunctionBegin;
  WalrasCallH5(H5Fclose(o->file), "closing the output file");
  PetscCallMPI(MPI_Barrier(o->comm));
  if (o->rank == 0 && rename(o->tmp, o->path) != 0) ok = 0;
  PetscCallMPI(MPI_Bcast(&ok, 1, MPI_INT, 0, o->comm));
  PetscCheck(ok, o->comm, PETSC_ERR_FILE_WRITE, "cannot rename %s to %s: %s", o->tmp, o->path,
             strerror(errno));
  PetscCall(PetscFree(o));
  *out = NULL;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasOutputAbandon(WalrasOutput *out)
{
  WalrasOutput o = *out;

  PetscFunctionBegin;
  if (!o) PetscFunctionReturn(0);
  if (o->rank == 0) unlink(o->tmp);
  PetscCall(PetscFree(o));
  *out = NULL;
  PetscFunctionReturn(0);
}

/* natural = source (INSERT_VALUES) or natural += source (ADD_VALUES), in
   scenario order. */
static PetscErrorCode ToNatural(VecScatter scatter, Vec source, Vec natural, InsertMode mode)
{
  PetscFunctionBegin;
  PetscCall(VecScatterBegin(scatter, source, natural, mode, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, source, natural, mode, SCATTER_FORWARD));
  PetscFunctionReturn(0);
}

/* Prices, supply, demand and excess demand as [A][R][K] in scenario order.
   The economy keeps no excess demand: it is made in the natural vector as
   -supply + demand, which is demand - supply to the last bit, so that no
   further vector of N is needed here. */
static PetscErrorCode WriteGoods(hid_t group, WalrasEconomy ec, const WalrasEconomyState *st)
{
  WalrasEconomyInfo info;
  Vec               natural;
  VecScatter        scatter;
  Vec               sources[3] = {st->prices, st->supply, st->demand};
  const char       *names[3]   = {"prices", "supply", "demand"};
  hsize_t           dims[3];

  PetscFunctionBegin;
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  dims[0] = (hsize_t)info.A;
  dims[1] = (hsize_t)info.R;
  dims[2] = (hsize_t)info.K;
  PetscCall(WalrasEconomyCreateNatural(ec, &natural, &scatter));
  for (int i = 0; i < 3; i++) {
    PetscCall(ToNatural(scatter, sources[i], natural, INSERT_VALUES));
    PetscCall(WalrasH5WriteVec(group, names[i], natural, 3, dims));
  }
  PetscCall(ToNatural(scatter, st->supply, natural, INSERT_VALUES));
  PetscCall(VecScale(natural, -1.0));
  PetscCall(ToNatural(scatter, st->demand, natural, ADD_VALUES));
  PetscCall(WalrasH5WriteVec(group, "excess", natural, 3, dims));
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&natural));
  PetscFunctionReturn(0);
}

/* Values [n][width] of this rank's edges into a Vec [E][width] in scenario
   edge order, then the dataset (every rank sends its own rows). */
static PetscErrorCode WriteByEdge(hid_t group, const char *name, PetscInt E, PetscInt width,
                                  PetscInt n, const PetscInt *edge, const PetscReal *values,
                                  PetscBool integers)
{
  Vec       v;
  PetscInt *idx;
  hsize_t   dims[2] = {(hsize_t)E, (hsize_t)width};

  PetscFunctionBegin;
  PetscCall(VecCreate(PETSC_COMM_WORLD, &v));
  PetscCall(VecSetSizes(v, PETSC_DECIDE, E * width));
  PetscCall(VecSetBlockSize(v, width));
  PetscCall(VecSetFromOptions(v));
  PetscCall(PetscMalloc1(n * width + 1, &idx));
  for (PetscInt m = 0; m < n; m++)
    for (PetscInt k = 0; k < width; k++) idx[m * width + k] = edge[m] * width + k;
  PetscCall(VecSetValues(v, n * width, idx, values, INSERT_VALUES));
  PetscCall(VecAssemblyBegin(v));
  PetscCall(VecAssemblyEnd(v));
  if (integers)
    PetscCall(WalrasH5WriteVecInt(group, name, v, 2, dims));
  else
    PetscCall(WalrasH5WriteVec(group, name, v, 2, dims));
  PetscCall(PetscFree(idx));
  PetscCall(VecDestroy(&v));
  PetscFunctionReturn(0);
}

/* /scenario/agents: the names in scenario order.  Rank 0 writes them all;
   an arrays scenario's names ("a<index>") are made up on rank 0 only, for
   the write. */
static PetscErrorCode WriteAgentNames(hid_t group, const WalrasScenario *sc)
{
  char       **names, *text = NULL;
  const size_t width = 24;
  PetscMPIInt  rank;
  PetscInt     n;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  n = sc->agents || rank == 0 ? sc->A : 0;
  PetscCall(PetscMalloc1(n + 1, &names));
  names[n] = NULL;
  if (!sc->agents) PetscCall(PetscMalloc1((size_t)n * width + 1, &text));
  for (PetscInt a = 0; a < n; a++) {
    if (sc->agents)
      names[a] = sc->agents[a].name;
    else {
      names[a] = text + (size_t)a * width;
      PetscCall(WalrasScenarioAgentName(sc, a, names[a], width));
    }
  }
  PetscCall(WalrasH5WriteStrings(group, "agents", (hsize_t)sc->A, n ? names : NULL));
  PetscCall(PetscFree(names));
  PetscCall(PetscFree(text));
  PetscFunctionReturn(0);
}

/* Task flow of every edge and interval, [E][K] in scenario edge order; the
   edges themselves as [E][2] (from, to; from = -1 is the orchestrator).
   Each rank writes the edges whose flows it computed, so no rank needs the
   whole edge list. */
static PetscErrorCode WriteRouting(hid_t group, WalrasEconomy ec, const WalrasScenario *sc)
{
  PetscInt         n, *from, *to;
  const PetscInt  *edge;
  const PetscReal *values;
  PetscReal       *ends;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyGetEdgeFlows(ec, &n, &edge, &values));
  PetscCall(WriteByEdge(group, "routing", sc->E, sc->K, n, edge, values, PETSC_FALSE));
  PetscCall(PetscMalloc3(n + 1, &from, n + 1, &to, 2 * n + 1, &ends));
  PetscCall(WalrasEconomyGetEdgeEnds(ec, from, to));
  for (PetscInt m = 0; m < n; m++)
    ends[2 * m] = (PetscReal)from[m], ends[2 * m + 1] = (PetscReal)to[m];
  PetscCall(WriteByEdge(group, "edges", sc->E, 2, n, edge, ends, PETSC_TRUE));
  PetscCall(PetscFree3(from, to, ends));
  PetscFunctionReturn(0);
}

/* With tenants: /equilibrium/tenants/NAME with each one's tasks and unit
   cost [K] and attributes firm_share, income, welfare. */
static PetscErrorCode WriteTenants(hid_t equilibrium, const WalrasScenario *sc,
                                   const WalrasEconomyState *st)
{
  hid_t tenants, one;

  PetscFunctionBegin;
  if (sc->H < 2) PetscFunctionReturn(0);
  PetscCall(WalrasH5Group(equilibrium, "tenants", &tenants));
  for (PetscInt h = 0; h < sc->H; h++) {
    PetscCall(WalrasH5Group(tenants, sc->tenants[h].name, &one));
    PetscCall(
        WalrasH5WriteReplicatedReal(one, "tasks", (hsize_t)sc->K, st->tenant_tasks + h * sc->K));
    PetscCall(WalrasH5WriteReplicatedReal(one, "unit_cost", (hsize_t)sc->K,
                                          st->tenant_unit_cost + h * sc->K));
    PetscCall(WalrasH5WriteReplicatedReal(one, "shares", (hsize_t)sc->K, sc->tenants[h].shares));
    if (sc->tenants[h].arrivals)
      PetscCall(
          WalrasH5WriteReplicatedReal(one, "arrivals", (hsize_t)sc->K, sc->tenants[h].arrivals));
    PetscCall(WalrasH5AttrReal(one, "firm_share", sc->tenants[h].firm_share));
    PetscCall(WalrasH5AttrReal(one, "income", st->tenant_income[h]));
    PetscCall(WalrasH5AttrReal(one, "welfare", st->tenant_welfare[h]));
    H5Gclose(one);
  }
  H5Gclose(tenants);
  PetscFunctionReturn(0);
}

static PetscErrorCode WriteAttributes(hid_t file, WalrasEconomy ec, const WalrasScenario *sc,
                                      const WalrasSolveReport *report, const WalrasEconomyState *st,
                                      PetscMPIInt size)
{
  WalrasEconomyInfo info;
  char              sha[65];

  PetscFunctionBegin;
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  PetscCall(WalrasSHA256Hex(sc->text, strlen(sc->text), sha));
  PetscCall(WalrasH5AttrString(file, "walras_version", WALRAS_VERSION_STRING));
  PetscCall(WalrasH5AttrInt(file, "converged", report->reason == WALRAS_STOP_CONVERGED));
  PetscCall(WalrasH5AttrString(file, "reason", WalrasStopReasons[report->reason]));
  PetscCall(WalrasH5AttrString(file, "reason_detail", report->detail));
  PetscCall(WalrasH5AttrString(file, "solver", report->solver));
  PetscCall(WalrasH5AttrInt(file, "rounds", report->rounds));
  PetscCall(WalrasH5AttrInt(file, "ranks", size));
  PetscCall(WalrasH5AttrReal(file, "residual", report->residual));
  PetscCall(WalrasH5AttrReal(file, "walras_value", report->walras));
  PetscCall(WalrasH5AttrReal(file, "kappa", report->kappa));
  PetscCall(WalrasH5AttrReal(file, "observed_rate", report->observed_rate));
  PetscCall(WalrasH5AttrReal(file, "seconds", report->seconds));
  PetscCall(WalrasH5AttrReal(file, "income", st->income));
  PetscCall(WalrasH5AttrReal(file, "welfare", st->welfare));
  PetscCall(WalrasH5AttrString(file, "normalisation", "sum_{a,r,k} dt[k] p[a][r][k] = 1"));
  PetscCall(WalrasH5AttrString(file, "partition", info.partition));
  PetscCall(WalrasH5AttrInt(file, "cut_edges", info.cut_edges));
  PetscCall(WalrasH5AttrReal(file, "imbalance", info.imbalance));
  PetscCall(WalrasH5AttrString(file, "scenario_name", sc->name));
  PetscCall(WalrasH5AttrString(file, "scenario_path", sc->path));
  PetscCall(WalrasH5AttrString(file, "scenario", sc->text));
  PetscCall(WalrasH5AttrString(file, "scenario_sha256", sha));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasOutputWriteRun(WalrasOutput o, WalrasEconomy ec, Vec p,
                                    const WalrasSolveReport *report)
{
  const WalrasEconomyState *st;
  const WalrasScenario     *sc;
  hid_t                     group;
  hsize_t                   n;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyEvaluate(ec, p, &st));
  PetscCall(WalrasEconomyGetScenario(ec, &sc));

  PetscCall(WalrasH5Group(o->file, "/equilibrium", &group));
  PetscCall(WriteGoods(group, ec, st));
  PetscCall(WalrasH5WriteReplicatedReal(group, "tasks", (hsize_t)sc->K, st->tasks));
  PetscCall(WalrasH5WriteReplicatedReal(group, "unit_cost", (hsize_t)sc->K, st->unit_cost));
  PetscCall(WriteRouting(group, ec, sc));
  PetscCall(WriteTenants(group, sc, st));
  H5Gclose(group);

  PetscCall(WalrasH5Group(o->file, "/history", &group));
  n = (hsize_t)report->n_history;
  PetscCall(WalrasH5WriteReplicatedReal(group, "residual", n, report->history_residual));
  PetscCall(WalrasH5WriteReplicatedReal(group, "walras", n, report->history_walras));
  PetscCall(WalrasH5WriteReplicatedReal(group, "kappa", n, report->history_kappa));
  H5Gclose(group);

  PetscCall(WalrasH5Group(o->file, "/scenario", &group));
  PetscCall(WriteAgentNames(group, sc));
  PetscCall(WalrasH5WriteStrings(group, "metrics", (hsize_t)sc->R, sc->metrics));
  PetscCall(WalrasH5WriteReplicatedReal(group, "dt", (hsize_t)sc->K, sc->dt));
  PetscCall(WalrasH5WriteReplicatedReal(group, "shares", (hsize_t)sc->K, sc->shares));
  if (sc->arrivals)
    PetscCall(WalrasH5WriteReplicatedReal(group, "arrivals", (hsize_t)sc->K, sc->arrivals));
  H5Gclose(group);

  PetscCall(WriteAttributes(o->file, ec, sc, report, st, o->size));
  PetscFunctionReturn(0);
}
