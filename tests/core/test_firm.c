/* Firms' supply maximises profit over their production sets (MODEL.md
   section 2), checked against a dense search over the frontier. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <walras/economy.h>

static PetscReal Uniform(unsigned long long *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (PetscReal)(*state >> 11) / (PetscReal)(1ULL << 53);
}

/* Two metrics: the frontier is (cap1 cos(t)^(2/g), cap2 sin(t)^(2/g)), t in [0, pi/2]. */
static void frontier_supply_beats_dense_search_two_metrics(void **state)
{
  const PetscReal    gammas[] = {1.2, 1.5, 2.0, 3.0, 8.0};
  unsigned long long seed     = 11;

  for (size_t g = 0; g < sizeof(gammas) / sizeof(gammas[0]); g++)
    for (int trial = 0; trial < 20; trial++) {
      PetscReal gamma = gammas[g], dt = 1.0, p[2], cap[2], y[2], profit, best = 0.0, norm = 0.0;

      for (int r = 0; r < 2; r++) {
        p[r]   = PetscPowReal(10.0, -3.0 + 6.0 * Uniform(&seed));
        cap[r] = 0.5 + 100.0 * Uniform(&seed);
      }
      WalrasFrontierSupply(2, 1, gamma, &dt, p, cap, y, &profit);
      for (int i = 0; i <= 200000; i++) {
        PetscReal t = 0.5 * PETSC_PI * i / 200000.0;
        PetscReal v = p[0] * cap[0] * PetscPowReal(PetscCosReal(t), 2.0 / gamma) +
                      p[1] * cap[1] * PetscPowReal(PetscSinReal(t), 2.0 / gamma);

        best = PetscMax(best, v);
      }
      for (int r = 0; r < 2; r++) norm += PetscPowReal(y[r] / cap[r], gamma);
      assert_true(PetscAbsReal(norm - 1.0) < 1e-12); /* on the frontier */
      assert_true(PetscAbsReal(profit - (p[0] * y[0] + p[1] * y[1])) <
                  1e-12 * profit);                 /* profit = <p, y> */
      assert_true(profit >= best * (1.0 - 1e-12)); /* no frontier point earns more */
      assert_true(profit <= best * (1.0 + 1e-6));  /* and the search gets close */
    }
}

/* Three metrics: random feasible points on the frontier never earn more. */
static void frontier_supply_beats_random_points_three_metrics(void **state)
{
  unsigned long long seed  = 5;
  const PetscInt     K     = 2;
  PetscReal          dt[2] = {0.5, 1.5}, p[6], cap[6], y[6], profit;
  const PetscReal    gamma = 1.7;

  for (int i = 0; i < 6; i++) {
    p[i]   = Uniform(&seed) + 1e-3;
    cap[i] = 1.0 + 10.0 * Uniform(&seed);
  }
  WalrasFrontierSupply(3, K, gamma, dt, p, cap, y, &profit);
  for (int trial = 0; trial < 100000; trial++) {
    PetscReal value = 0.0;

    for (PetscInt k = 0; k < K; k++) {
      PetscReal u[3], sum = 0.0;

      for (int r = 0; r < 3; r++) sum += (u[r] = Uniform(&seed));
      for (int r = 0; r < 3; r++)
        value += dt[k] * p[r * K + k] * cap[r * K + k] * PetscPowReal(u[r] / sum, 1.0 / gamma);
    }
    assert_true(value <= profit * (1.0 + 1e-12));
  }
}

/* Degree-0 homogeneity and tiny prices: supply is unchanged when all the
   agent's prices are scaled by 1e-200 (the scaling by the largest q). */
static void frontier_supply_survives_tiny_prices(void **state)
{
  PetscReal dt = 1.0, p[2] = {3.0, 1.0}, tiny[2] = {3e-200, 1e-200}, cap[2] = {2.0, 5.0}, y[2],
            yt[2], profit, profit_t;

  WalrasFrontierSupply(2, 1, 2.5, &dt, p, cap, y, &profit);
  WalrasFrontierSupply(2, 1, 2.5, &dt, tiny, cap, yt, &profit_t);
  for (int r = 0; r < 2; r++) assert_true(PetscAbsReal(y[r] - yt[r]) < 1e-14 * y[r]);
  assert_true(PetscAbsReal(profit_t / profit - 1e-200) < 1e-212);
}

/* With one metric the frontier supplies its capacity. */
static void frontier_one_metric_supplies_capacity(void **state)
{
  PetscReal dt[2] = {1.0, 2.0}, p[2] = {0.3, 7.0}, cap[2] = {4.0, 9.0}, y[2], profit;

  WalrasFrontierSupply(1, 2, 3.0, dt, p, cap, y, &profit);
  assert_true(PetscAbsReal(y[0] - 4.0) < 1e-14 && PetscAbsReal(y[1] - 9.0) < 1e-14);
  assert_true(PetscAbsReal(profit - (0.3 * 4.0 + 2.0 * 7.0 * 9.0)) < 1e-12);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(frontier_supply_beats_dense_search_two_metrics),
      cmocka_unit_test(frontier_supply_beats_random_points_three_metrics),
      cmocka_unit_test(frontier_supply_survives_tiny_prices),
      cmocka_unit_test(frontier_one_metric_supplies_capacity),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  if (PetscFinalize()) return 1;
  return failed;
}
