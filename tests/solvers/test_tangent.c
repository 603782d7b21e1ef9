/* MPI test: the agent economy's tangent sweep (market jacobian_action) and
   its assembled Jacobian of demand per unit of income (jacobian_unit_income)
   equal central finite differences of the evaluation, at random prices of
   the test economies (DIAMOND at sigma 0.5, 1 and 3; LAYERED at 0.7 and 2; its
   weights do not sum to 1, so sigma = 1 is not defined on it), and of the
   scenario files given as arguments (runs/chatdev_tenants.yaml: two
   orchestrators entering at their own agents).
   Exits non-zero on any failure. */
#include <walras/economy.h>
#include <walras/solver.h>

#include "core/testeconomies.h"

static int failures = 0;

/* A deterministic value in [lo, hi) for global index i and stream s. */
static PetscReal Hash(PetscInt i, PetscInt s, PetscReal lo, PetscReal hi)
{
  unsigned long long h = (unsigned long long)(i + 1) * 0x9E3779B97F4A7C15ULL ^
                         (unsigned long long)(s + 7) * 0xBF58476D1CE4E5B9ULL;

  h ^= h >> 31;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return lo + (hi - lo) * (PetscReal)(h >> 11) / (PetscReal)(1ULL << 53);
}

static PetscErrorCode FillRandom(Vec v, PetscInt stream, PetscReal lo, PetscReal hi)
{
  PetscReal *a;
  PetscInt   start, end;

  PetscFunctionBegin;
  PetscCall(VecGetOwnershipRange(v, &start, &end));
  PetscCall(VecGetArray(v, &a));
  for (PetscInt i = start; i < end; i++) a[i - start] = Hash(i, stream, lo, hi);
  PetscCall(VecRestoreArray(v, &a));
  PetscFunctionReturn(0);
}

/* zeta = z + (1 / m - 1) x with x = (s + z) / 2, m = <p, x>_w. */
static PetscErrorCode Zeta(WalrasMarket *market, Vec p, Vec zeta, Vec s)
{
  PetscReal m;

  PetscFunctionBegin;
  PetscCall(market->evaluate(market->ctx, p, zeta, s, &m));
  PetscCall(VecAXPY(s, 1.0, zeta));
  PetscCall(VecAXPY(zeta, 0.5 * (1.0 / m - 1.0), s));
  PetscFunctionReturn(0);
}

/* max |a - b| / max |b| */
static PetscErrorCode RelDiff(Vec a, Vec b, Vec work, PetscReal *rel)
{
  PetscReal num, den;

  PetscFunctionBegin;
  PetscCall(VecWAXPY(work, -1.0, b, a));
  PetscCall(VecNorm(work, NORM_INFINITY, &num));
  PetscCall(VecNorm(b, NORM_INFINITY, &den));
  *rel = den > 0 ? num / den : num;
  if (PetscIsInfOrNanReal(*rel) || PetscIsInfOrNanReal(den)) *rel = PETSC_INFINITY;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckEconomy(const WalrasScenario *sc, const char *name)
{
  WalrasEconomy ec;
  WalrasMarket *market;
  Vec           p, dp, dz, fd, plus, minus, zp, zm, s, work;
  Mat           J = NULL;
  PetscReal     h = 1e-6, worst_action = 0, worst_matrix = 0, rel;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyCreate(PETSC_COMM_WORLD, sc, "block", &ec));
  PetscCall(WalrasEconomyGetMarket(ec, &market));
  PetscCall(WalrasEconomyCreatePrices(ec, &p));
  PetscCall(VecDuplicate(p, &dp));
  PetscCall(VecDuplicate(p, &dz));
  PetscCall(VecDuplicate(p, &fd));
  PetscCall(VecDuplicate(p, &plus));
  PetscCall(VecDuplicate(p, &minus));
  PetscCall(VecDuplicate(p, &zp));
  PetscCall(VecDuplicate(p, &zm));
  PetscCall(VecDuplicate(p, &s));
  PetscCall(VecDuplicate(p, &work));

  for (PetscInt trial = 0; trial < 3; trial++) {
    /* Prices spread over three decades, a direction relative to them. */
    PetscCall(FillRandom(p, 10 * trial, -1.5, 1.5));
    PetscCall(VecExp(p));
    PetscCall(FillRandom(dp, 10 * trial + 1, -1.0, 1.0));
    PetscCall(VecPointwiseMult(dp, dp, p));

    /* z'(p) dp against (z(p + h dp) - z(p - h dp)) / 2h. */
    PetscCall(market->jacobian_action(market->ctx, p, dp, dz));
    PetscCall(VecWAXPY(plus, h, dp, p));
    PetscCall(VecWAXPY(minus, -h, dp, p));
    PetscCall(market->evaluate(market->ctx, plus, zp, NULL, NULL));
    PetscCall(market->evaluate(market->ctx, minus, zm, NULL, NULL));
    PetscCall(VecWAXPY(fd, -1.0, zm, zp));
    PetscCall(VecScale(fd, 0.5 / h));
    PetscCall(RelDiff(dz, fd, work, &rel));
    worst_action = PetscMax(worst_action, rel);

    /* zeta'(p) dp from the assembled matrix against differences of zeta
       (once per economy: an assembly costs A*R sweeps). */
    if (trial > 0) continue;
    PetscCall(market->jacobian_unit_income(market->ctx, p, &J));
    PetscCall(MatMult(J, dp, dz));
    PetscCall(Zeta(market, plus, zp, s));
    PetscCall(Zeta(market, minus, zm, s));
    PetscCall(VecWAXPY(fd, -1.0, zm, zp));
    PetscCall(VecScale(fd, 0.5 / h));
    PetscCall(RelDiff(dz, fd, work, &rel));
    worst_matrix = PetscMax(worst_matrix, rel);
  }
  PetscCall(WalrasLog("%s %s sigma %g: tangent vs central differences %.2e, assembled zeta' %.2e\n",
                      worst_action < 1e-6 && worst_matrix < 1e-6 ? "ok  " : "FAIL", name,
                      (double)sc->sigma, (double)worst_action, (double)worst_matrix));
  if (!(worst_action < 1e-6 && worst_matrix < 1e-6)) failures++;

  PetscCall(MatDestroy(&J));
  PetscCall(VecDestroy(&p));
  PetscCall(VecDestroy(&dp));
  PetscCall(VecDestroy(&dz));
  PetscCall(VecDestroy(&fd));
  PetscCall(VecDestroy(&plus));
  PetscCall(VecDestroy(&minus));
  PetscCall(VecDestroy(&zp));
  PetscCall(VecDestroy(&zm));
  PetscCall(VecDestroy(&s));
  PetscCall(VecDestroy(&work));
  PetscCall(WalrasEconomyDestroy(&ec));
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckTest(TestEconomy which, const char *name, PetscReal sigma)
{
  WalrasScenario *sc;

  PetscFunctionBegin;
  PetscCall(TestScenarioCreate(which, sigma, &sc));
  PetscCall(CheckEconomy(sc, name));
  PetscCall(TestScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(int nfiles, char **files)
{
  PetscFunctionBegin;
  PetscCall(CheckTest(TEST_ECONOMY_DIAMOND, "diamond", 0.5));
  PetscCall(CheckTest(TEST_ECONOMY_DIAMOND, "diamond", 1.0));
  PetscCall(CheckTest(TEST_ECONOMY_DIAMOND, "diamond", 3.0));
  PetscCall(CheckTest(TEST_ECONOMY_LAYERED, "layered", 0.7));
  PetscCall(CheckTest(TEST_ECONOMY_LAYERED, "layered", 2.0));
  for (int i = 0; i < nfiles; i++) {
    WalrasScenario *sc;

    PetscCall(WalrasScenarioLoad(files[i], &sc));
    PetscCall(CheckEconomy(sc, files[i]));
    PetscCall(WalrasScenarioDestroy(&sc));
  }
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  ierr = Run(argc - 1, argv + 1);
  PetscFinalize();
  return ierr || failures ? 1 : 0;
}
