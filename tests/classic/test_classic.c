/* Classic economies: the analytic Jacobian of the complementarity problem
   agrees with finite differences, Walras' law and the budgets hold at random
   points for every consumer kind, and bad files give exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <walras/classic.h>

static char last_error[1024];

static PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun, const char *file,
                                   PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(last_error, sizeof(last_error), "%s", mess);
  return n;
}

static const char *const economies[] = {"scarf1960", "mathiesen1987", "kehoe1985",
                                        "scarf_scarfmcp"};

static WalrasClassic LoadRun(const char *name)
{
  char          path[PETSC_MAX_PATH_LEN];
  const char   *src = getenv("WALRAS_SOURCE_DIR");
  WalrasClassic eco = NULL;

  snprintf(path, sizeof(path), "%s/runs/classic/%s.yaml", src ? src : ".", name);
  assert_int_equal(WalrasClassicLoad(path, &eco), 0);
  return eco;
}

/* Uniform in [lo, hi), from a fixed seed: the tests are repeatable. */
static PetscReal Uniform(unsigned *seed, PetscReal lo, PetscReal hi)
{
  *seed = *seed * 1103515245u + 12345u;
  return lo + (hi - lo) * (PetscReal)((*seed >> 8) & 0xffffff) / (PetscReal)0x1000000;
}

static void RandomPoint(WalrasClassic eco, unsigned *seed, PetscReal u[])
{
  for (PetscInt g = 0; g < eco->n_goods; g++) u[g] = Uniform(seed, 0.2, 2.0);
  for (PetscInt a = 0; a < eco->n_activities; a++) u[eco->n_goods + a] = Uniform(seed, 0.0, 3.0);
}

static void analytic_jacobian_matches_finite_differences(void **state)
{
  unsigned seed = 12345;

  for (size_t e = 0; e < sizeof(economies) / sizeof(economies[0]); e++) {
    WalrasClassic eco = LoadRun(economies[e]);
    PetscInt      nu  = eco->n_goods + eco->n_activities;
    PetscReal    *u, *J, *Fp, *Fm;

    PetscMalloc4(nu, &u, nu * nu, &J, nu, &Fp, nu, &Fm);
    for (int trial = 0; trial < 5; trial++) {
      RandomPoint(eco, &seed, u);
      assert_int_equal(WalrasClassicMCPEvaluate(eco, u, NULL, J), 0);
      for (PetscInt k = 0; k < nu; k++) {
        PetscReal keep = u[k], h = 1e-6 * PetscMax(1, PetscAbsReal(keep));

        u[k] = keep + h;
        WalrasClassicMCPEvaluate(eco, u, Fp, NULL);
        u[k] = keep - h;
        WalrasClassicMCPEvaluate(eco, u, Fm, NULL);
        u[k] = keep;
        for (PetscInt i = 0; i < nu; i++) {
          PetscReal fd = (Fp[i] - Fm[i]) / (2 * h);

          if (PetscAbsReal(fd - J[i * nu + k]) > 1e-6 * PetscMax(1, PetscAbsReal(fd)))
            fail_msg("%s: J[%d][%d] = %.12g, finite differences %.12g", economies[e], (int)i,
                     (int)k, (double)J[i * nu + k], (double)fd);
        }
      }
    }
    PetscFree4(u, J, Fp, Fm);
    WalrasClassicDestroy(&eco);
  }
}

/* <p, x_h> = m_h for every consumer and <p, z(p, y)> = 0, at random p > 0
   and y >= 0: Leontief (scarf1960), Cobb-Douglas (Kehoe, Mathiesen), CES
   (scarfmcp), with and without activities. */
static void walras_law_and_budgets_hold_for_every_kind(void **state)
{
  unsigned seed     = 777;
  int      kinds[3] = {0, 0, 0};

  for (size_t e = 0; e < sizeof(economies) / sizeof(economies[0]); e++) {
    WalrasClassic eco = LoadRun(economies[e]);
    PetscInt      n   = eco->n_goods;
    PetscReal    *u, *z, *x, *m, *xh;

    PetscMalloc5(n + eco->n_activities, &u, n, &z, n, &x, eco->n_consumers, &m, n, &xh);
    for (int trial = 0; trial < 20; trial++) {
      PetscReal pz = 0, size = 0;

      /* Off equilibrium profits may be negative, and so may incomes: the
         test is relative to the size of the terms. */
      RandomPoint(eco, &seed, u);
      assert_int_equal(WalrasClassicExcessDemand(eco, u, u + n, z, x, m), 0);
      for (PetscInt g = 0; g < n; g++) {
        pz += u[g] * z[g];
        size += PetscAbsReal(u[g] * x[g]);
      }
      assert_true(size > 0);
      assert_true(PetscAbsReal(pz) <= 1e-12 * size);
      for (PetscInt h = 0; h < eco->n_consumers; h++) {
        PetscReal spend = 0;

        WalrasClassicDemand(eco, h, u, m[h], xh);
        for (PetscInt g = 0; g < n; g++) spend += u[g] * xh[g];
        assert_true(PetscAbsReal(spend - m[h]) <= 1e-12 * PetscMax(1, PetscAbsReal(m[h])));
        kinds[eco->consumer[h].kind] = 1;
      }
    }
    PetscFree5(u, z, x, m, xh);
    WalrasClassicDestroy(&eco);
  }
  assert_true(kinds[WALRAS_CLASSIC_COBB_DOUGLAS] && kinds[WALRAS_CLASSIC_CES] &&
              kinds[WALRAS_CLASSIC_LEONTIEF]);
}

/* A small valid file; each bad case below changes one line of it. */
static const char good_file[] = "kind: classic\n"                            /* 1 */
                                "name: tiny\n"                               /* 2 */
                                "goods: [a, b]\n"                            /* 3 */
                                "consumers:\n"                               /* 4 */
                                "  - name: h\n"                              /* 5 */
                                "    kind: cobb_douglas\n"                   /* 6 */
                                "    shares: {a: 0.5, b: 0.5}\n"             /* 7 */
                                "    endowment: {a: 1}\n"                    /* 8 */
                                "    firm_shares: {f: 1}\n"                  /* 9 */
                                "activities:\n"                              /* 10 */
                                "  - {name: f, net_output: {a: -1, b: 1}}\n" /* 11 */
                                "numeraire: {price: {a: 1}}\n"               /* 12 */
                                "starts:\n"                                  /* 13 */
                                "  - {name: s, prices: {a: 1, b: 1}}\n";     /* 14 */

static void ExpectError(const char *from, const char *to, const char *message)
{
  char          text[2048];
  const char   *at = strstr(good_file, from);
  WalrasClassic eco;

  assert_non_null(at);
  snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good_file), good_file, to, at + strlen(from));
  last_error[0] = 0;
  assert_int_equal(WalrasClassicLoadString("bad.yaml", text, &eco), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, message);
  assert_null(eco);
}

static void bad_files_give_exact_messages(void **state)
{
  WalrasClassic eco;

  assert_int_equal(WalrasClassicLoadString("good.yaml", good_file, &eco), 0);
  assert_int_equal(eco->n_goods, 2);
  assert_int_equal(eco->n_activities, 1);
  WalrasClassicDestroy(&eco);

  ExpectError("kind: classic", "kind: production",
              "bad.yaml:1: 'kind': expected classic, got 'production'");
  ExpectError("kind: cobb_douglas", "kind: cobb-douglas",
              "bad.yaml:6: 'consumers[0].kind': expected cobb_douglas, ces or leontief, got "
              "'cobb-douglas'");
  ExpectError("shares: {a: 0.5, b: 0.5}", "shares: {a: 0.5, c: 0.5}",
              "bad.yaml:7: 'consumers[0].shares': unknown good 'c'");
  ExpectError("endowment: {a: 1}", "endowment: {a: -1}",
              "bad.yaml:8: 'consumers[0].endowment.a': expected a number >= 0, got -1");
  ExpectError("firm_shares: {f: 1}", "firm_shares: {f: 0.5}",
              "bad.yaml:5: 'consumers': the firm shares of activity 'f' sum to 0.5; expected 1");
  ExpectError("net_output: {a: -1, b: 1}", "net_output: {a: -1, b: x}",
              "bad.yaml:11: 'activities[0].net_output.b': expected a finite number, got 'x'");
  ExpectError("numeraire: {price: {a: 1}}", "numeraire: {price: {z: 1}}",
              "bad.yaml:12: 'numeraire.price': unknown good 'z'");
  ExpectError("prices: {a: 1, b: 1}", "prices: {a: 1}",
              "bad.yaml:14: 'starts[0].prices': the good 'b' has no value");
  ExpectError("name: tiny", "nmae: tiny",
              "bad.yaml:2: '(top level)': unknown key 'nmae' (expected one of: kind, name, title, "
              "source, license, goods, consumers, activities, numeraire, starts, reference, "
              "notes)");
}

static void market_needs_an_exchange_economy(void **state)
{
  WalrasClassic eco = LoadRun("kehoe1985");
  WalrasMarket  market;
  char          expect[1024];

  assert_int_equal(WalrasClassicMarketCreate(eco, &market), PETSC_ERR_USER_INPUT);
  snprintf(expect, sizeof(expect),
           "%s: a market of prices only needs an exchange economy, but this one has 2 activities "
           "(use the complementarity solver of 'walras classic')",
           eco->path);
  assert_string_equal(last_error, expect);
  WalrasClassicDestroy(&eco);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(analytic_jacobian_matches_finite_differences),
      cmocka_unit_test(walras_law_and_budgets_hold_for_every_kind),
      cmocka_unit_test(bad_files_give_exact_messages),
      cmocka_unit_test(market_needs_an_exchange_economy),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  PetscPushErrorHandler(CaptureError, NULL);
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  PetscPopErrorHandler();
  PetscFinalize();
  return failed;
}
