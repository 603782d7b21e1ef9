/* MPI test: on an agent economy, Newton (analytic Jacobian) and the
   tâtonnement find the same prices.

   usage: test_newton_agent layered | <scenario.yaml>
   (CTest runs it on the layered test economy, runs/chatdev.yaml and a
   scenario of walras generate.)

   Both solve from the economy's starting prices, the tâtonnement to a
   natural residual of 1e-13 (its distance to the equilibrium is about its
   residual over 1 - kappa, so 1e-10 would leave errors near 1e-8), Newton
   to 1e-12 (its floor on free goods, 1e-15 of the mean price, shifts the
   normalisation by about 1e-13); the test
   asserts both converge, Walras' law held at every round (|<p,z>|/<p,x> <=
   1e-10 in the whole history), the history has one entry per round, and
   max_i |p_newton - p_tat| / max_i p_tat <= 1e-10 with both normalised to
   <p, 1>_w = 1.  Also, on a scenario file: WalrasSolve with -walras_solver tatonnement
   -tat_max_rounds 300 -walras_fallback newton converges to the same
   prices.  Exits non-zero on any failure. */
#include <string.h>

#include <walras/economy.h>
#include <walras/solver.h>

#include "core/testeconomies.h"

static int failures = 0;

static PetscErrorCode Check(PetscBool ok, const char *what)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("%s %s\n", ok ? "ok  " : "FAIL", what));
  if (!ok) failures++;
  PetscFunctionReturn(0);
}

static PetscErrorCode CheckReport(const char *name, const WalrasSolveReport *r)
{
  char      what[512];
  PetscReal worst = 0;

  PetscFunctionBegin;
  for (PetscInt i = 0; i < r->n_history; i++) worst = PetscMax(worst, r->history_walras[i]);
  PetscCall(PetscSNPrintf(what, sizeof(what),
                          "%s: %s after %" PetscInt_FMT " rounds, %" PetscInt_FMT
                          " evaluations, %" PetscInt_FMT " Jacobians, %.2f s; residual %.2e, "
                          "worst Walras value %.1e; %s",
                          name, WalrasStopReasons[r->reason], r->rounds, r->evaluations,
                          r->jacobians, r->seconds, (double)r->residual, (double)worst, r->detail));
  PetscCall(Check((PetscBool)(r->reason == WALRAS_STOP_CONVERGED && worst <= 1e-10 &&
                              r->n_history == r->rounds + 1),
                  what));
  PetscFunctionReturn(0);
}

/* max |a - b| / max |b| over the natural ordering (the same at any rank count). */
static PetscErrorCode Compare(WalrasEconomy ec, Vec a, Vec b, const char *what)
{
  Vec        na, nb;
  VecScatter sc;
  PetscReal  diff, top;
  char       line[256];

  PetscFunctionBegin;
  PetscCall(WalrasEconomyCreateNatural(ec, &na, &sc));
  PetscCall(VecDuplicate(na, &nb));
  PetscCall(VecScatterBegin(sc, a, na, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, a, na, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterBegin(sc, b, nb, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(sc, b, nb, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecNorm(nb, NORM_INFINITY, &top));
  PetscCall(VecAXPY(na, -1.0, nb));
  PetscCall(VecNorm(na, NORM_INFINITY, &diff));
  PetscCall(PetscSNPrintf(line, sizeof(line), "%s: max |dp| / max p = %.2e (at most 1e-10)", what,
                          (double)(diff / top)));
  PetscCall(Check((PetscBool)(diff <= 1e-10 * top), line));
  PetscCall(VecScatterDestroy(&sc));
  PetscCall(VecDestroy(&na));
  PetscCall(VecDestroy(&nb));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(const char *which)
{
  WalrasScenario   *sc;
  WalrasEconomy     ec;
  WalrasMarket     *market;
  WalrasSolveReport report;
  Vec               p_tat, p_newton, p_fallback = NULL;
  PetscBool         layered;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&report, sizeof(report)));
  PetscCall(PetscStrcmp(which, "layered", &layered));
  if (layered)
    PetscCall(TestScenarioCreate(TEST_ECONOMY_LAYERED, 0.7, &sc));
  else
    PetscCall(WalrasScenarioLoad(which, &sc));
  PetscCall(WalrasEconomyCreate(PETSC_COMM_WORLD, sc, "block", &ec));
  PetscCall(WalrasEconomyGetMarket(ec, &market));

  /* The tâtonnement: on the layered economy with the adaptive step (the
     fixed one needs about 33,000 rounds there), on ChatDev with the fixed
     step and a stagnation window long enough for its slow modes. */
  PetscCall(PetscOptionsSetValue(NULL, "-tat_rtol", "1e-13"));
  PetscCall(PetscOptionsSetValue(NULL, "-tat_max_rounds", "60000"));
  PetscCall(PetscOptionsSetValue(NULL, "-tat_stall_window", "20000"));
  PetscCall(PetscOptionsSetValue(NULL, "-tat_adaptive", layered ? "true" : "false"));
  PetscCall(PetscOptionsSetValue(NULL, "-newton_rtol", "1e-12"));
  PetscCall(WalrasEconomyCreatePrices(ec, &p_tat));
  PetscCall(WalrasSolveTatonnement(market, p_tat, &report));
  PetscCall(CheckReport("tatonnement", &report));

  PetscCall(WalrasEconomyCreatePrices(ec, &p_newton));
  PetscCall(WalrasSolveNewton(market, p_newton, &report));
  PetscCall(CheckReport("newton", &report));
  PetscCall(Check((PetscBool)(report.jacobians > 0), "newton used the analytic Jacobian"));
  PetscCall(Compare(ec, p_newton, p_tat, "newton vs tatonnement"));

  /* The fallback once, on ChatDev (the layered economy would double the
     test's time for no new path). */
  if (layered) goto done;
  PetscCall(PetscOptionsSetValue(NULL, "-tat_max_rounds", "300"));
  PetscCall(PetscOptionsSetValue(NULL, "-tat_adaptive", "false"));
  PetscCall(PetscOptionsSetValue(NULL, "-walras_solver", "tatonnement"));
  PetscCall(PetscOptionsSetValue(NULL, "-walras_fallback", "newton"));
  PetscCall(WalrasEconomyCreatePrices(ec, &p_fallback));
  PetscCall(WalrasSolve(market, p_fallback, &report));
  PetscCall(CheckReport("tatonnement (300 rounds) then newton", &report));
  PetscCall(Compare(ec, p_fallback, p_tat, "fallback vs tatonnement"));
  PetscCall(VecDestroy(&p_fallback));

done:
  PetscCall(WalrasSolveReportReset(&report));
  PetscCall(VecDestroy(&p_tat));
  PetscCall(VecDestroy(&p_newton));
  PetscCall(WalrasEconomyDestroy(&ec));
  if (layered)
    PetscCall(TestScenarioDestroy(&sc));
  else
    PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (argc < 2) {
    PetscCall(WalrasLog("usage: test_newton_agent layered | <scenario.yaml>\n"));
    PetscFinalize();
    return 2;
  }
  ierr = Run(argv[1]);
  PetscFinalize();
  return ierr || failures ? 1 : 0;
}
