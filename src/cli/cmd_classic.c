/* walras classic FILE: the equilibria of a classic economy (runs/classic/),
   one complementarity solve per listed start, compared with the file's
   published or reference solution. */
#include <walras/classic.h>

#include <math.h>

#include "cli/commands.h"

/* Distance of a result to the nearest reference equilibrium: max relative
   error over prices and activity levels (absolute below 1). */
static void NearestReference(WalrasClassic eco, const WalrasClassicResult *res, PetscInt *which,
                             PetscReal *error)
{
  *which = -1;
  *error = PETSC_MAX_REAL;
  for (PetscInt e = 0; e < eco->n_reference; e++) {
    const WalrasClassicPoint *ref = &eco->reference[e];
    PetscReal                 err = 0;

    for (PetscInt g = 0; g < eco->n_goods; g++)
      err = PetscMax(err, PetscAbsReal(res->prices[g] - ref->prices[g]) /
                              PetscMax(1, PetscAbsReal(ref->prices[g])));
    for (PetscInt a = 0; a < eco->n_activities; a++)
      err = PetscMax(err, PetscAbsReal(res->activity[a] - ref->activity[a]) /
                              PetscMax(1, PetscAbsReal(ref->activity[a])));
    if (err < *error) {
      *which = e;
      *error = err;
    }
  }
}

/* *good: the result is within the file's tolerance of a reference solution
   (or, without one, the solve converged). */
static PetscErrorCode PrintResult(WalrasClassic eco, PetscInt s, const WalrasClassicResult *res,
                                  PetscBool *good)
{
  PetscInt  which;
  PetscReal error;

  PetscFunctionBegin;
  *good = (PetscBool)(res->reason > 0);
  PetscCall(WalrasLog("start %" PetscInt_FMT " (%s): %s, %" PetscInt_FMT
                      " iterations, natural residual %.2e (worst %s %+.2e), %" PetscInt_FMT
                      " free goods, %" PetscInt_FMT " idle activities\n",
                      s, eco->start[s].name, SNESConvergedReasons[res->reason], res->iterations,
                      (double)res->residual, res->worst, (double)res->worst_residual,
                      res->free_goods, res->idle_activities));
  for (PetscInt g = 0; g < eco->n_goods; g++)
    PetscCall(WalrasLog("  price    %-10s %.15g\n", eco->good[g], (double)res->prices[g]));
  for (PetscInt a = 0; a < eco->n_activities; a++)
    PetscCall(WalrasLog("  activity %-10s %.15g\n", eco->activity[a], (double)res->activity[a]));
  for (PetscInt h = 0; h < eco->n_consumers; h++)
    PetscCall(WalrasLog("  income   %-10s %.15g\n", eco->consumer[h].name, (double)res->income[h]));
  if (eco->n_reference > 0) {
    NearestReference(eco, res, &which, &error);
    *good = (PetscBool)(error <= eco->reference_tolerance);
    PetscCall(WalrasLog("  %s solution %s: max error %.2e (%s at %.0e)\n", eco->reference_kind,
                        eco->reference[which].name, (double)error,
                        *good ? "within tolerance" : "NOT within tolerance",
                        (double)eco->reference_tolerance));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasCommandClassic(int argc, char **argv)
{
  WalrasClassic       eco;
  WalrasClassicResult res   = {0};
  PetscInt            start = -1;
  PetscBool           set, help, good;
  int                 n;
  const char         *numeraire[] = {"price of", "income of", "sum of prices"};
  const char          usage[]     = "usage: walras classic FILE [-start i] [-newton_monitor] "
                                    "[-newton_snes_type ...]";

  PetscFunctionBegin;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(WalrasLog("%s\n  solves the economy from each start; exit status 3 when a start "
                        "ends away from the reference solution\n",
                        usage));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasCliPositionals(argc, argv, 1, usage, &n));
  WalrasCheckInput(n == 1, usage);
  PetscCall(WalrasClassicLoad(argv[1], &eco));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-start", &start, &set));
  WalrasCheckInput(!set || (start >= 0 && start < eco->n_starts),
                   "-start %" PetscInt_FMT ": %s lists %" PetscInt_FMT
                   " starts (0 to %" PetscInt_FMT ")",
                   start, argv[1], eco->n_starts, eco->n_starts - 1);

  PetscCall(WalrasLog("%s: %s\n  %" PetscInt_FMT " goods, %" PetscInt_FMT
                      " consumers, %" PetscInt_FMT " activities; numeraire: %s %s = %.15g\n",
                      eco->name, eco->title, eco->n_goods, eco->n_consumers, eco->n_activities,
                      numeraire[eco->numeraire.kind],
                      eco->numeraire.kind == WALRAS_CLASSIC_NUMERAIRE_PRICE
                          ? eco->good[eco->numeraire.index]
                      : eco->numeraire.kind == WALRAS_CLASSIC_NUMERAIRE_INCOME
                          ? eco->consumer[eco->numeraire.index].name
                          : "",
                      (double)eco->numeraire.value));
  for (PetscInt s = 0; s < eco->n_starts; s++) {
    if (set && s != start) continue;
    PetscCall(WalrasClassicSolveMCP(eco, eco->start[s].prices, eco->start[s].activity, &res));
    PetscCall(PrintResult(eco, s, &res, &good));
    /* Like a run without an equilibrium: not an error, but scripts must tell. */
    if (!good) walras_run_exit_status = 3;
  }
  PetscCall(WalrasClassicResultReset(&res));
  PetscCall(WalrasClassicDestroy(&eco));
  PetscFunctionReturn(0);
}
