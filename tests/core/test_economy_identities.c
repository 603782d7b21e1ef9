/* The identities of MODEL.md section 3 and 4 at random positive prices:
   CES expenditure (Euler) sum_a G_a c_a = n[k] C_0[k] in every interval, the
   budget <p, x> = m, and Walras' law <p, z> = 0, with z, the scale and
   <p, x> as the market's evaluate returns them (z = x - y and s = x + y
   exactly: the economy computes them with demand, not from a copy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <walras/economy.h>

#include "core/testeconomies.h"

static PetscReal Uniform(unsigned long long *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (PetscReal)(*state >> 11) / (PetscReal)(1ULL << 53);
}

static void CheckIdentities(TestEconomy which, PetscReal sigma)
{
  WalrasScenario           *sc;
  WalrasEconomy             ec;
  WalrasMarket             *market;
  Vec                       p, z, s;
  const WalrasEconomyState *st;
  unsigned long long        seed = 3;

  assert_int_equal(TestScenarioCreate(which, sigma, &sc), 0);
  /* Unequal intervals, so that a weight taken from the wrong interval shows
     (the identities hold for any dt > 0). */
  for (PetscInt k = 0; k < sc->K; k++) sc->dt[k] *= 0.5 + 0.25 * (PetscReal)(k % 4);
  assert_int_equal(WalrasEconomyCreate(PETSC_COMM_SELF, sc, "block", &ec), 0);
  assert_int_equal(WalrasEconomyGetMarket(ec, &market), 0);
  assert_int_equal(WalrasEconomyCreatePrices(ec, &p), 0);
  VecDuplicate(p, &z);
  VecDuplicate(p, &s);
  for (int trial = 0; trial < 20; trial++) {
    PetscReal       *pa, px = 0.0, pz = 0.0, value, pz_market, W = 0.0, W_market;
    const PetscReal *xa, *ya, *za, *sa;
    PetscInt         n, K = sc->K;

    VecGetLocalSize(p, &n);
    VecGetArray(p, &pa);
    for (PetscInt i = 0; i < n; i++) pa[i] = PetscPowReal(10.0, -4.0 + 4.0 * Uniform(&seed));
    VecRestoreArray(p, &pa);
    assert_int_equal(market->evaluate(market->ctx, p, z, s, &value), 0);
    assert_int_equal(WalrasEconomyEvaluate(ec, p, &st), 0);

    VecGetArrayRead(p, (const PetscReal **)&pa);
    VecGetArrayRead(st->demand, &xa);
    VecGetArrayRead(st->supply, &ya);
    VecGetArrayRead(z, &za);
    VecGetArrayRead(s, &sa);
    for (PetscInt k = 0; k < K; k++) {
      PetscReal spent = 0.0;

      for (PetscInt i = k; i < n; i += K) spent += pa[i] * xa[i];
      /* Euler: what the tasks pay the agents is what they cost. */
      assert_true(PetscAbsReal(spent - st->tasks[k] * st->unit_cost[k]) <= 1e-12 * spent);
    }
    for (PetscInt i = 0; i < n; i++) {
      PetscReal w = sc->dt[i % K];

      assert_true(za[i] == xa[i] - ya[i] && sa[i] == xa[i] + ya[i]);
      W += w;
      px += w * pa[i] * xa[i];
      pz += w * pa[i] * za[i];
    }
    VecRestoreArrayRead(s, &sa);
    VecRestoreArrayRead(z, &za);
    VecRestoreArrayRead(st->supply, &ya);
    VecRestoreArrayRead(st->demand, &xa);
    VecRestoreArrayRead(p, (const PetscReal **)&pa);
    assert_true(PetscAbsReal(px - st->income) <= 1e-12 * st->income); /* the budget binds */
    assert_true(PetscAbsReal(value - px) <= 1e-12 * px);              /* the market's <p, x> */
    assert_true(PetscAbsReal(pz) <= 1e-12 * px);                      /* Walras' law */
    assert_int_equal(WalrasMarketDot(market, p, z, &pz_market), 0);
    assert_true(PetscAbsReal(pz_market - pz) <= 1e-12 * px); /* the weight pattern */
    assert_int_equal(WalrasMarketTotalWeight(market, &W_market), 0);
    assert_true(PetscAbsReal(W_market - W) <= 1e-12 * W);
  }
  VecDestroy(&z);
  VecDestroy(&s);
  VecDestroy(&p);
  WalrasEconomyDestroy(&ec);
  TestScenarioDestroy(&sc);
}

static void identities_diamond_sigma_half(void **state)
{
  CheckIdentities(TEST_ECONOMY_DIAMOND, 0.5);
}
static void identities_diamond_sigma_one(void **state)
{
  CheckIdentities(TEST_ECONOMY_DIAMOND, 1.0);
}
static void identities_diamond_sigma_three(void **state)
{
  CheckIdentities(TEST_ECONOMY_DIAMOND, 3.0);
}
static void identities_layered_sigma_point_seven(void **state)
{
  CheckIdentities(TEST_ECONOMY_LAYERED, 0.7);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(identities_diamond_sigma_half),
      cmocka_unit_test(identities_diamond_sigma_one),
      cmocka_unit_test(identities_diamond_sigma_three),
      cmocka_unit_test(identities_layered_sigma_point_seven),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  if (PetscFinalize()) return 1;
  return failed;
}
