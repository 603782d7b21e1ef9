/* The report every solver fills: stop reason and per-round history. */

#include <walras/solver.h>
#include <math.h>

const char *const WalrasStopReasons[] = {
    "converged",     "max_rounds",       "growth",       "cycle", "stagnation",
    "solver_failed", "WalrasStopReason", "WALRAS_STOP_", NULL};

PetscErrorCode WalrasSolveReportReset(WalrasSolveReport *report)
{
  PetscFunctionBegin;
  PetscCall(PetscFree3(report->history_residual, report->history_walras, report->history_kappa));
  PetscCall(PetscMemzero(report, sizeof(*report)));
  report->kappa         = NAN;
  report->observed_rate = NAN;
  PetscFunctionReturn(0);
}

/* Appends one round to the history, growing the arrays geometrically. */
PetscErrorCode WalrasSolveReportPush(WalrasSolveReport *report, PetscReal residual,
                                     PetscReal walras, PetscReal kappa)
{
  PetscFunctionBegin;
  if (report->n_history == report->cap_history) {
    PetscInt   cap = PetscMax(64, 2 * report->cap_history);
    PetscReal *res, *wal, *kap;

    PetscCall(PetscMalloc3(cap, &res, cap, &wal, cap, &kap));
    PetscCall(PetscArraycpy(res, report->history_residual, report->n_history));
    PetscCall(PetscArraycpy(wal, report->history_walras, report->n_history));
    PetscCall(PetscArraycpy(kap, report->history_kappa, report->n_history));
    PetscCall(PetscFree3(report->history_residual, report->history_walras, report->history_kappa));
    report->history_residual = res;
    report->history_walras   = wal;
    report->history_kappa    = kap;
    report->cap_history      = cap;
  }
  report->history_residual[report->n_history] = residual;
  report->history_walras[report->n_history]   = walras;
  report->history_kappa[report->n_history]    = kappa;
  report->n_history++;
  PetscFunctionReturn(0);
}
