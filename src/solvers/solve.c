/* WalrasSolve: the solver named by -walras_solver, with an optional fallback
   to Newton when the tâtonnement does not converge (-walras_fallback). */

#include <walras/solver.h>

typedef PetscErrorCode (*SolverFn)(WalrasMarket *, Vec, WalrasSolveReport *);

static const struct {
  const char *name;
  SolverFn    fn;
} solvers[] = {
    {"tatonnement", WalrasSolveTatonnement},
    {"anderson", WalrasSolveAnderson},
    {"ngmres", WalrasSolveNGMRES},
    {"newton", WalrasSolveNewton},
};

static PetscErrorCode Lookup(MPI_Comm comm, const char *option, const char *name, SolverFn *fn)
{
  char list[128] = "";

  PetscFunctionBegin;
  for (size_t i = 0; i < sizeof(solvers) / sizeof(solvers[0]); i++) {
    if (!strcmp(name, solvers[i].name)) {
      *fn = solvers[i].fn;
      PetscFunctionReturn(0);
    }
    PetscCall(PetscStrlcat(list, i ? ", " : "", sizeof(list)));
    PetscCall(PetscStrlcat(list, solvers[i].name, sizeof(list)));
  }
  SETERRQ(comm, PETSC_ERR_USER_INPUT, "%s: unknown solver '%s' (expected one of: %s)", option, name,
          list);
}

/* The report of a solve that fell back: one history, the first solver's
   rounds then the fallback's (whose round 0 evaluates the first one's last
   prices again, so it is left out), counts and time added up, and the
   fallback's outcome.  Frees second's history. */
static PetscErrorCode JoinReports(WalrasSolveReport *report, WalrasSolveReport *second,
                                  const char *why)
{
  PetscInt rounds = report->rounds, evaluations = report->evaluations,
           jacobians = report->jacobians;
  PetscReal seconds  = report->seconds;
  char      detail[sizeof(report->detail)];

  PetscFunctionBegin;
  for (PetscInt i = 1; i < second->n_history; i++)
    PetscCall(WalrasSolveReportPush(report, second->history_residual[i], second->history_walras[i],
                                    second->history_kappa[i]));
  PetscCall(PetscSNPrintf(detail, sizeof(detail), "%s; then %s", why, second->detail));
  PetscCall(PetscStrncpy(report->detail, detail, sizeof(report->detail)));
  PetscCall(PetscStrncpy(report->solver, second->solver, sizeof(report->solver)));
  PetscCall(PetscStrlcat(report->solver, "+fallback", sizeof(report->solver)));
  report->reason        = second->reason;
  report->rounds        = rounds + second->rounds;
  report->residual      = second->residual;
  report->walras        = second->walras;
  report->kappa         = second->kappa;
  report->observed_rate = second->observed_rate;
  report->seconds       = seconds + second->seconds;
  report->evaluations   = evaluations + second->evaluations;
  report->jacobians     = jacobians + second->jacobians;
  PetscCall(WalrasSolveReportReset(second));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasSolve(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  MPI_Comm comm;
  char     solver[32] = "tatonnement", fallback[32] = "";
  SolverFn fn, fb                                   = NULL;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-walras_solver", solver, sizeof(solver), NULL));
  PetscCall(
      PetscOptionsGetString(NULL, NULL, "-walras_fallback", fallback, sizeof(fallback), NULL));
  PetscCall(Lookup(comm, "-walras_solver", solver, &fn));
  if (fallback[0]) PetscCall(Lookup(comm, "-walras_fallback", fallback, &fb));

  PetscCall(fn(market, p, report));
  if (report->reason != WALRAS_STOP_CONVERGED && fb) {
    WalrasSolveReport second;
    char              why[sizeof(report->detail)];

    PetscCall(WalrasLog("walras: %s stopped (%s after %" PetscInt_FMT
                        " rounds); falling back to %s from its last prices\n",
                        report->solver, WalrasStopReasons[report->reason], report->rounds,
                        fallback));
    PetscCall(PetscSNPrintf(why, sizeof(why), "%s stopped (%s) after %" PetscInt_FMT " rounds",
                            report->solver, WalrasStopReasons[report->reason], report->rounds));
    PetscCall(PetscMemzero(&second, sizeof(second)));
    PetscCall(fb(market, p, &second));
    PetscCall(JoinReports(report, &second, why));
  }
  PetscFunctionReturn(0);
}
