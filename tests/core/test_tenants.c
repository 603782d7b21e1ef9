/* Several orchestrators (tenants) sharing the agents, MODEL.md section 3.

   usage: test_tenants TINY.yaml TINY_TENANTS.yaml CHATDEV_TENANTS.yaml

   1. Tenants that enter at the same agents buy like one orchestrator whose
      shares are sum_h theta_h s_h: CES routing is linear in the tasks, so
      tiny_tenants.yaml must have tiny.yaml's equilibrium prices (1e-10
      relative, both solved to 1e-12), each tenant must be served
      n_h[k] = theta_h s_h[k] / s[k] n[k] of the tasks, with income
      m_h = theta_h m, and the welfare must be sum_h U_h.
   2. Tenants with their own entries (chatdev_tenants.yaml) reach the same
      equilibrium on all ranks as on rank 0 alone (1e-10 relative), with a
      Walras value below 1e-10 in every round.
   Exit status 0 when every check passes. */
#include <walras/economy.h>
#include <walras/solver.h>

#include <stdio.h>

static int failures = 0;

#define EXPECT(cond, ...)                                                                          \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      failures++;                                                                                  \
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "FAIL: " __VA_ARGS__));                              \
      PetscCall(PetscPrintf(PETSC_COMM_WORLD, "\n"));                                              \
    }                                                                                              \
  } while (0)

typedef struct {
  WalrasEconomy             ec;
  Vec                       natural; /* equilibrium prices in scenario order */
  WalrasSolveReport         report;
  const WalrasEconomyState *state; /* at the equilibrium (borrowed from ec) */
} Solved;

static PetscErrorCode SolveOn(MPI_Comm comm, const WalrasScenario *sc, Solved *s)
{
  WalrasMarket *market;
  Vec           p;
  VecScatter    scatter;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(s, sizeof(*s)));
  PetscCall(WalrasEconomyCreate(comm, sc, "block", &s->ec));
  PetscCall(WalrasEconomyCreatePrices(s->ec, &p));
  PetscCall(WalrasEconomyGetMarket(s->ec, &market));
  PetscCall(WalrasSolveTatonnement(market, p, &s->report));
  PetscCall(WalrasEconomyEvaluate(s->ec, p, &s->state));
  PetscCall(WalrasEconomyCreateNatural(s->ec, &s->natural, &scatter));
  PetscCall(VecScatterBegin(scatter, p, s->natural, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, p, s->natural, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&p));
  PetscFunctionReturn(0);
}

static PetscErrorCode SolvedDestroy(Solved *s)
{
  PetscFunctionBegin;
  PetscCall(VecDestroy(&s->natural));
  PetscCall(WalrasSolveReportReset(&s->report));
  PetscCall(WalrasEconomyDestroy(&s->ec));
  PetscFunctionReturn(0);
}

/* max |a - b| / max |a| over two vectors of the same layout. */
static PetscErrorCode RelDiff(Vec a, Vec b, PetscReal *rel)
{
  Vec       d;
  PetscReal dmax, amax;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(a, &d));
  PetscCall(VecWAXPY(d, -1.0, b, a));
  PetscCall(VecNorm(d, NORM_INFINITY, &dmax));
  PetscCall(VecNorm(a, NORM_INFINITY, &amax));
  *rel = amax > 0 ? dmax / amax : dmax;
  PetscCall(VecDestroy(&d));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckWalrasEveryRound(const char *name, const WalrasSolveReport *r)
{
  PetscReal worst = 0.0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < r->n_history; i++) worst = PetscMax(worst, r->history_walras[i]);
  EXPECT(r->reason == WALRAS_STOP_CONVERGED, "%s: stopped on %s", name,
         WalrasStopReasons[r->reason]);
  EXPECT(worst <= 1e-10, "%s: Walras value %.3e in some round", name, (double)worst);
  PetscFunctionReturn(0);
}

/* Part 1: tenants at the same entries against the one orchestrator. */
static PetscErrorCode CheckSharedEntries(const char *one_path, const char *tenants_path)
{
  WalrasScenario           *one, *ten;
  Solved                    a, b;
  const WalrasEconomyState *sa, *sb;
  PetscReal                 rel, worst_tasks = 0.0, welfare = 0.0;

  PetscFunctionBegin;
  PetscCall(PetscOptionsSetValue(NULL, "-tat_rtol", "1e-12"));
  PetscCall(WalrasScenarioLoad(one_path, &one));
  PetscCall(WalrasScenarioLoad(tenants_path, &ten));
  EXPECT(ten->H == 2, "%s: expected 2 tenants, got %d", tenants_path, (int)ten->H);
  PetscCall(SolveOn(PETSC_COMM_WORLD, one, &a));
  PetscCall(SolveOn(PETSC_COMM_WORLD, ten, &b));
  PetscCall(CheckWalrasEveryRound(one_path, &a.report));
  PetscCall(CheckWalrasEveryRound(tenants_path, &b.report));
  PetscCall(RelDiff(a.natural, b.natural, &rel));
  PetscCall(
      PetscPrintf(PETSC_COMM_WORLD,
                  "shared entries: %d and %d rounds, max |p_tenants - p_one| / max p = %.3e\n",
                  (int)a.report.rounds, (int)b.report.rounds, (double)rel));
  EXPECT(rel <= 1e-10, "tenants at shared entries: prices differ by %.3e relative", (double)rel);

  /* The state of each at its own equilibrium. */
  sa = a.state;
  sb = b.state;
  EXPECT(PetscAbsReal(sb->income - sa->income) <= 1e-9 * sa->income, "income %.15g vs %.15g",
         (double)sb->income, (double)sa->income);
  EXPECT(sb->H == 2, "state: expected H = 2, got %d", (int)sb->H);
  for (PetscInt h = 0; h < ten->H; h++) {
    const PetscReal theta = ten->tenants[h].firm_share;
    PetscReal       u     = 0.0;

    EXPECT(PetscAbsReal(sb->tenant_income[h] - theta * sb->income) <= 1e-14 * sb->income,
           "tenant %d: income %.15g, expected theta m = %.15g", (int)h,
           (double)sb->tenant_income[h], (double)(theta * sb->income));
    for (PetscInt k = 0; k < ten->K; k++) {
      PetscReal n_h = sb->tenant_tasks[h * ten->K + k], s_h = ten->tenants[h].shares[k];
      PetscReal expect = theta * s_h / ten->shares[k] * sa->tasks[k];

      worst_tasks = PetscMax(worst_tasks, PetscAbsReal(n_h - expect) / sa->tasks[k]);
      if (s_h > 0) u += s_h * PetscLogReal(n_h);
    }
    EXPECT(PetscAbsReal(u - sb->tenant_welfare[h]) <= 1e-12 * (1 + PetscAbsReal(u)),
           "tenant %d: welfare %.15g, expected sum_k s_h log n_h = %.15g", (int)h,
           (double)sb->tenant_welfare[h], (double)u);
    welfare += sb->tenant_welfare[h];
  }
  EXPECT(worst_tasks <= 1e-9, "tenants' tasks differ from theta_h s_h / s n by %.3e relative",
         (double)worst_tasks);
  EXPECT(PetscAbsReal(welfare - sb->welfare) <= 1e-12 * (1 + PetscAbsReal(welfare)),
         "welfare %.15g, expected sum_h U_h = %.15g", (double)sb->welfare, (double)welfare);
  PetscCall(PetscPrintf(PETSC_COMM_WORLD, "shared entries: tasks of each tenant within %.3e\n",
                        (double)worst_tasks));
  PetscCall(SolvedDestroy(&a));
  PetscCall(SolvedDestroy(&b));
  PetscCall(WalrasScenarioDestroy(&one));
  PetscCall(WalrasScenarioDestroy(&ten));
  PetscCall(PetscOptionsClearValue(NULL, "-tat_rtol"));
  PetscFunctionReturn(0);
}

/* Part 2: own entries, all ranks against rank 0 alone. */
static PetscErrorCode CheckRankInvariance(const char *path)
{
  WalrasScenario *sc;
  Solved          dist, serial;
  Vec             gathered;
  VecScatter      to_zero;
  PetscMPIInt     rank, size;
  PetscReal       rel = 0.0;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(WalrasScenarioLoad(path, &sc));
  PetscCall(SolveOn(PETSC_COMM_WORLD, sc, &dist));
  PetscCall(CheckWalrasEveryRound(path, &dist.report));
  PetscCall(VecScatterCreateToZero(dist.natural, &to_zero, &gathered));
  PetscCall(VecScatterBegin(to_zero, dist.natural, gathered, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(to_zero, dist.natural, gathered, INSERT_VALUES, SCATTER_FORWARD));
  if (rank == 0) {
    PetscCall(SolveOn(PETSC_COMM_SELF, sc, &serial));
    PetscCall(RelDiff(serial.natural, gathered, &rel));
    PetscCall(SolvedDestroy(&serial));
  }
  PetscCallMPI(MPI_Bcast(&rel, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));
  PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                        "%s: %d rounds on %d ranks, max |p_P - p_1| / max p = %.3e\n", path,
                        (int)dist.report.rounds, (int)size, (double)rel));
  EXPECT(rel <= 1e-10, "%s: prices on %d ranks differ from 1 rank by %.3e", path, (int)size,
         (double)rel);
  PetscCall(VecScatterDestroy(&to_zero));
  PetscCall(VecDestroy(&gathered));
  PetscCall(SolvedDestroy(&dist));
  PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (argc != 4) {
    fprintf(stderr, "usage: test_tenants TINY.yaml TINY_TENANTS.yaml CHATDEV_TENANTS.yaml\n");
    PetscFinalize();
    return 2;
  }
  ierr = CheckSharedEntries(argv[1], argv[2]);
  if (!ierr) ierr = CheckRankInvariance(argv[3]);
  if (PetscFinalize()) return 1;
  return ierr || failures ? 1 : 0;
}
