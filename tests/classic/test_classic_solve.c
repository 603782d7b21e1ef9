/* MPI test: the Newton-type solvers reproduce the published or reference
   equilibria of the classic economies, read from ../shared/economies/ (the
   values there come from the literature or an independent computation,
   never from walras).  Exits non-zero on any failure. */
#include <stdlib.h>
#include <string.h>

#include <walras/classic.h>
#include <walras/solver.h>
#include <walras/yaml.h>

static int failures = 0;

static PetscErrorCode Check(PetscBool ok, const char *what, PetscReal error)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("%s %s (max error %.2e)\n", ok ? "ok  " : "FAIL", what, (double)error));
  if (!ok) failures++;
  PetscFunctionReturn(0);
}

/* Follows a path of keys ("equilibria", "#2" for the third item, ...). */
static PetscErrorCode SharedNode(WalrasYAML doc, const char *const path[], WalrasYAMLNode *node)
{
  PetscFunctionBegin;
  *node = WalrasYAMLRoot(doc);
  for (const char *const *k = path; *k; k++) {
    if ((*k)[0] == '#')
      PetscCall(WalrasYAMLSeqItem(*node, atoi(*k + 1), node));
    else
      PetscCall(WalrasYAMLMapGet(*node, *k, PETSC_TRUE, node));
  }
  PetscFunctionReturn(0);
}

/* Reads {name: value} of the shared file at path into out, by the names of
   the economy's goods (or activities). */
static PetscErrorCode SharedValues(WalrasYAML doc, const char *const path[], char **names,
                                   PetscInt n, PetscReal out[])
{
  WalrasYAMLNode map, v;

  PetscFunctionBegin;
  PetscCall(SharedNode(doc, path, &map));
  for (PetscInt i = 0; i < n; i++) {
    PetscCall(WalrasYAMLMapGet(map, names[i], PETSC_TRUE, &v));
    PetscCall(WalrasYAMLGetReal(v, &out[i]));
  }
  PetscFunctionReturn(0);
}

static PetscReal MaxRelError(const PetscReal a[], const PetscReal b[], PetscInt n)
{
  PetscReal e = 0;

  for (PetscInt i = 0; i < n; i++)
    e = PetscMax(e, PetscAbsReal(a[i] - b[i]) / PetscMax(1, PetscAbsReal(b[i])));
  return e;
}

typedef struct {
  const char *start;     /* name of the start in the runs/ file */
  const char *snes_type; /* vinewtonssls or vinewtonrsls */
  PetscInt    equilibrium;
} Case;

static PetscInt StartIndex(WalrasClassic eco, const char *name)
{
  for (PetscInt s = 0; s < eco->n_starts; s++)
    if (!strcmp(eco->start[s].name, name)) return s;
  return -1;
}

/* Solves eco from each case's start and compares with the shared equilibrium
   whose prices and activity levels sit at paths[e][0] and paths[e][1]. */
static PetscErrorCode SolveCases(const char *run, const char *shared, const char *const *paths[][2],
                                 const Case cases[], PetscInt n_cases, PetscReal tol)
{
  char                path[PETSC_MAX_PATH_LEN], what[256];
  WalrasClassic       eco;
  WalrasYAML          doc;
  WalrasClassicResult res = {0};
  PetscReal          *p, *y, error;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/runs/classic/%s.yaml",
                          getenv("WALRAS_SOURCE_DIR"), run));
  PetscCall(WalrasClassicLoad(path, &eco));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/economies/%s.yaml", getenv("WALRAS_SHARED_DIR"),
                          shared));
  PetscCall(WalrasYAMLLoad(path, &doc));
  PetscCall(PetscMalloc2(eco->n_goods, &p, eco->n_activities + 1, &y));
  for (PetscInt c = 0; c < n_cases; c++) {
    PetscInt s = StartIndex(eco, cases[c].start), e = cases[c].equilibrium;

    PetscCheck(s >= 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG, "no start %s in %s", cases[c].start,
               run);
    PetscCall(SharedValues(doc, paths[e][0], eco->good, eco->n_goods, p));
    PetscCall(WalrasClassicNormalise(eco, p, NULL)); /* shared scale may differ (sum 1) */
    if (paths[e][1]) PetscCall(SharedValues(doc, paths[e][1], eco->activity, eco->n_activities, y));
    PetscCall(PetscOptionsSetValue(NULL, "-newton_snes_type", cases[c].snes_type));
    PetscCall(WalrasClassicSolveMCP(eco, eco->start[s].prices, eco->start[s].activity, &res));
    error = MaxRelError(res.prices, p, eco->n_goods);
    if (paths[e][1]) error = PetscMax(error, MaxRelError(res.activity, y, eco->n_activities));
    PetscCall(PetscSNPrintf(what, sizeof(what),
                            "%s from %s with %s: equilibrium %" PetscInt_FMT " in %" PetscInt_FMT
                            " iterations",
                            run, cases[c].start, cases[c].snes_type, e, res.iterations));
    PetscCall(Check((PetscBool)(res.reason > 0 && error <= tol), what, error));
  }
  PetscCall(PetscOptionsClearValue(NULL, "-newton_snes_type"));
  PetscCall(WalrasClassicResultReset(&res));
  PetscCall(PetscFree2(p, y));
  PetscCall(WalrasYAMLDestroy(&doc));
  PetscCall(WalrasClassicDestroy(&eco));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestMathiesen(void)
{
  static const char *const prices[]   = {"published_solution", "prices", NULL};
  static const char *const act[]      = {"published_solution", "activity", NULL};
  const char *const       *paths[][2] = {{prices, act}};
  const Case               cases[]    = {{"ones_idle", "vinewtonssls", 0},
                                         {"ones_running", "vinewtonssls", 0},
                                         {"far", "vinewtonssls", 0},
                                         {"ones_idle", "vinewtonrsls", 0},
                                         {"far", "vinewtonrsls", 0}};

  PetscFunctionBegin;
  PetscCall(SolveCases("mathiesen1987", "mathiesen1987", paths, cases, 5, 1e-8));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestKehoe(void)
{
  static const char *const p1[] = {"reference_solution", "equilibria", "#0", "prices", NULL};
  static const char *const y1[] = {"reference_solution", "equilibria", "#0", "activity", NULL};
  static const char *const p2[] = {"reference_solution", "equilibria", "#1", "prices", NULL};
  static const char *const y2[] = {"reference_solution", "equilibria", "#1", "activity", NULL};
  static const char *const p3[] = {"reference_solution", "equilibria", "#2", "prices", NULL};
  static const char *const y3[] = {"reference_solution", "equilibria", "#2", "activity", NULL};
  const char *const       *paths[][2] = {{p1, y1}, {p2, y2}, {p3, y3}};
  const Case cases[] = {{"kehomge_EQ1", "vinewtonssls", 0}, {"kehomge_EQ2", "vinewtonssls", 1},
                        {"near_E3", "vinewtonssls", 2},     {"near_E1", "vinewtonrsls", 0},
                        {"near_E2", "vinewtonrsls", 1},     {"near_E3", "vinewtonrsls", 2}};

  PetscFunctionBegin;
  PetscCall(SolveCases("kehoe1985", "kehoe1985_multiple", paths, cases, 6, 1e-8));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestScarfMCP(void)
{
  static const char *const prices[]   = {"reference_solution", "prices", NULL};
  static const char *const act[]      = {"reference_solution", "activity", NULL};
  const char *const       *paths[][2] = {{prices, act}};
  const Case               cases[]    = {{"ones_idle", "vinewtonssls", 0},
                                         {"ones_running", "vinewtonssls", 0},
                                         {"skewed", "vinewtonssls", 0}};

  PetscFunctionBegin;
  PetscCall(SolveCases("scarf_scarfmcp", "scarf_scarfmcp", paths, cases, 3, 1e-8));
  PetscFunctionReturn(0);
}

static PetscErrorCode TestScarf1960(void)
{
  static const char *const prices[]   = {"published_solution", "equilibrium_prices",
                                         "normalized_sum_1", NULL};
  const char *const       *paths[][2] = {{prices, NULL}};
  const Case               cases[]    = {{"orbit_example", "vinewtonssls", 0},
                                         {"far", "vinewtonssls", 0},
                                         {"corner", "vinewtonrsls", 0}};

  PetscFunctionBegin;
  PetscCall(SolveCases("scarf1960", "scarf1960_unstable", paths, cases, 3, 1e-9));
  PetscFunctionReturn(0);
}

/* Scarf's exchange economy as a WalrasMarket: WalrasSolveNewton finds
   p = (1, 1, 1)/3 and fills the report. */
static PetscErrorCode TestMarketNewton(void)
{
  char               path[PETSC_MAX_PATH_LEN], what[256];
  WalrasClassic      eco;
  WalrasMarket       market;
  WalrasSolveReport  report;
  Vec                p, all;
  VecScatter         gather;
  const PetscScalar *a;
  PetscReal          error = 0;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&report, sizeof(report)));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/runs/classic/scarf1960.yaml",
                          getenv("WALRAS_SOURCE_DIR")));
  PetscCall(WalrasClassicLoad(path, &eco));
  PetscCall(WalrasClassicMarketCreate(eco, &market));
  for (PetscInt s = 0; s < 2; s++) {
    PetscCall(VecDuplicate(market.layout, &p));
    for (PetscInt g = 0; g < eco->n_goods; g++)
      PetscCall(VecSetValue(p, g, eco->start[s].prices[g], INSERT_VALUES));
    PetscCall(VecAssemblyBegin(p));
    PetscCall(VecAssemblyEnd(p));
    PetscCall(WalrasSolveNewton(&market, p, &report));
    PetscCall(VecScatterCreateToAll(p, &gather, &all));
    PetscCall(VecScatterBegin(gather, p, all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecScatterEnd(gather, p, all, INSERT_VALUES, SCATTER_FORWARD));
    PetscCall(VecGetArrayRead(all, &a));
    error = 0;
    for (PetscInt g = 0; g < eco->n_goods; g++)
      error = PetscMax(error, PetscAbsReal(a[g] - eco->reference[0].prices[g]));
    PetscCall(VecRestoreArrayRead(all, &a));
    PetscCall(PetscSNPrintf(what, sizeof(what),
                            "WalrasSolveNewton on scarf1960 from %s: %s, %" PetscInt_FMT
                            " rounds, walras %.1e, history %" PetscInt_FMT,
                            eco->start[s].name, report.detail, report.rounds, (double)report.walras,
                            report.n_history));
    PetscCall(Check((PetscBool)(report.reason == WALRAS_STOP_CONVERGED && error <= 1e-9 &&
                                report.n_history == report.rounds + 1 && report.walras <= 1e-10),
                    what, error));
    PetscCall(VecScatterDestroy(&gather));
    PetscCall(VecDestroy(&all));
    PetscCall(VecDestroy(&p));
  }
  PetscCall(WalrasSolveReportReset(&report));
  PetscCall(WalrasClassicMarketDestroy(&market));
  PetscCall(WalrasClassicDestroy(&eco));
  PetscFunctionReturn(0);
}

/* A market whose excess demand is off by 1e-3 in the first good breaks
   Walras' law: WalrasSolveNewton must stop with an error, on every rank. */
static WalrasMarket honest;

static PetscErrorCode BrokenEvaluate(void *ctx, Vec p, Vec z, Vec scale, PetscReal *demand_value)
{
  PetscFunctionBegin;
  PetscCall(honest.evaluate(ctx, p, z, scale, demand_value));
  if (z) {
    PetscCall(VecSetValue(z, 0, 1e-3, ADD_VALUES));
    PetscCall(VecAssemblyBegin(z));
    PetscCall(VecAssemblyEnd(z));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TestWalrasLawViolation(void)
{
  char              path[PETSC_MAX_PATH_LEN];
  WalrasClassic     eco;
  WalrasMarket      broken;
  WalrasSolveReport report;
  Vec               p;
  PetscErrorCode    ierr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&report, sizeof(report)));
  PetscCall(PetscSNPrintf(path, sizeof(path), "%s/runs/classic/scarf1960.yaml",
                          getenv("WALRAS_SOURCE_DIR")));
  PetscCall(WalrasClassicLoad(path, &eco));
  PetscCall(WalrasClassicMarketCreate(eco, &honest));
  broken          = honest;
  broken.evaluate = BrokenEvaluate;
  PetscCall(VecDuplicate(honest.layout, &p));
  PetscCall(VecSet(p, 1.0));
  PetscCall(PetscPushErrorHandler(PetscReturnErrorHandler, NULL));
  ierr = WalrasSolveNewton(&broken, p, &report);
  PetscCall(PetscPopErrorHandler());
  PetscCall(Check((PetscBool)(ierr == PETSC_ERR_PLIB),
                  "WalrasSolveNewton stops with an error when Walras' law fails", 0));
  PetscCall(VecDestroy(&p));
  PetscCall(WalrasClassicMarketDestroy(&honest));
  PetscCall(WalrasClassicDestroy(&eco));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(void)
{
  PetscFunctionBegin;
  PetscCheck(getenv("WALRAS_SOURCE_DIR") && getenv("WALRAS_SHARED_DIR"), PETSC_COMM_SELF,
             PETSC_ERR_ARG_WRONG, "set WALRAS_SOURCE_DIR and WALRAS_SHARED_DIR");
  PetscCall(TestMathiesen());
  PetscCall(TestKehoe());
  PetscCall(TestScarfMCP());
  PetscCall(TestScarf1960());
  PetscCall(TestMarketNewton());
  PetscCall(TestWalrasLawViolation());
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  ierr = Run();
  PetscFinalize();
  return ierr || failures ? 1 : 0;
}
