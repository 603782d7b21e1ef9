/* Tâtonnement reaches equilibria known in closed form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <walras/economy.h>
#include <walras/solver.h>

#include "core/testeconomies.h"

static void Solve(TestEconomy which, PetscReal sigma, WalrasScenario **sc, WalrasEconomy *ec,
                  Vec *p, const WalrasEconomyState **st, WalrasSolveReport *report)
{
  WalrasMarket *market;

  assert_int_equal(TestScenarioCreate(which, sigma, sc), 0);
  assert_int_equal(WalrasEconomyCreate(PETSC_COMM_SELF, *sc, "block", ec), 0);
  assert_int_equal(WalrasEconomyCreatePrices(*ec, p), 0);
  assert_int_equal(WalrasEconomyGetMarket(*ec, &market), 0);
  PetscMemzero(report, sizeof(*report));
  assert_int_equal(WalrasSolveTatonnement(market, *p, report), 0);
  assert_int_equal(report->reason, WALRAS_STOP_CONVERGED);
  assert_int_equal(WalrasEconomyEvaluate(*ec, *p, st), 0);
}

/* Ingress: 10 tasks/s.  Worker: 50 tokens/s at 10 tokens per task, so 5
   tasks/s are served; the worker is the bottleneck and the ingress is free. */
static void bottleneck_serves_capacity_over_requirement(void **state)
{
  WalrasScenario           *sc;
  WalrasEconomy             ec;
  Vec                       p;
  const WalrasEconomyState *st;
  WalrasSolveReport         report;
  const PetscReal          *pa;

  Solve(TEST_ECONOMY_BOTTLENECK, 0.5, &sc, &ec, &p, &st, &report);
  assert_true(PetscAbsReal(st->tasks[0] - 5.0) < 1e-9);
  VecGetArrayRead(p, &pa);
  assert_true(pa[0] < 1e-10 * pa[1]); /* ingress price 0 relative to the worker's */
  assert_true(pa[1] > 0.0);
  VecRestoreArrayRead(p, &pa);
  WalrasSolveReportReset(&report);
  VecDestroy(&p);
  WalrasEconomyDestroy(&ec);
  TestScenarioDestroy(&sc);
}

/* One frontier agent, y1^2 + y2^2 <= 1, each task needs one unit of both:
   equal prices, n = 1/sqrt(2). */
static void frontier_equilibrium_is_symmetric(void **state)
{
  WalrasScenario           *sc;
  WalrasEconomy             ec;
  Vec                       p;
  const WalrasEconomyState *st;
  WalrasSolveReport         report;
  const PetscReal          *pa;

  Solve(TEST_ECONOMY_FRONTIER, 1.0, &sc, &ec, &p, &st, &report);
  assert_true(PetscAbsReal(st->tasks[0] - 1.0 / PetscSqrtReal(2.0)) < 1e-9);
  VecGetArrayRead(p, &pa);
  assert_true(PetscAbsReal(pa[0] - pa[1]) < 1e-9 * pa[0]);
  VecRestoreArrayRead(p, &pa);
  assert_true(report.walras < 1e-12);
  WalrasSolveReportReset(&report);
  VecDestroy(&p);
  WalrasEconomyDestroy(&ec);
  TestScenarioDestroy(&sc);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(bottleneck_serves_capacity_over_requirement),
      cmocka_unit_test(frontier_equilibrium_is_symmetric),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  if (PetscFinalize()) return 1;
  return failed;
}
