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
    WalrasSolveReport first = *report;
    char              why[sizeof(report->detail)];

    /* The first solve's history stays with it; the report describes the
       fallback, and says where it started. */
    PetscCall(WalrasLog("walras: %s stopped (%s after %" PetscInt_FMT
                        " rounds); falling back to %s from its last prices\n",
                        first.solver, WalrasStopReasons[first.reason], first.rounds, fallback));
    PetscCall(PetscSNPrintf(why, sizeof(why), "%s stopped (%s) after %" PetscInt_FMT " rounds",
                            first.solver, WalrasStopReasons[first.reason], first.rounds));
    PetscCall(PetscMemzero(report, sizeof(*report)));
    PetscCall(fb(market, p, report));
    PetscCall(PetscStrlcat(report->solver, "+fallback", sizeof(report->solver)));
    PetscCall(PetscInfo(NULL, "fallback after: %s\n", why));
    PetscCall(WalrasSolveReportReset(&first));
  }
  PetscFunctionReturn(0);
}
