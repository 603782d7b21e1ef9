/* Accelerated tâtonnement: PETSc's Anderson mixing (SNESANDERSON) and
   nonlinear GMRES (SNESNGMRES) on the fixed point p = T(p) of the
   tâtonnement step T (tatonnement.c, fixed lambda), i.e. on the residual
   F(p) = p - T(p).  walras writes F; the acceleration is PETSc's.

   The mixed iterates may leave the positive orthant, so the market is
   evaluated at max(p, floor); the natural residual and Walras' value are
   measured there, with one reduction per evaluation. */

#include <walras/solver.h>

#include <math.h>
#include <petscsnes.h>

typedef struct {
  WalrasMarket      *market;
  Vec                z, s, q; /* excess demand, scale, projected prices */
  Vec                live; /* 1 for goods with a price, 0 for null goods (price 0 at the start) */
  PetscReal          W, lambda, rtol;
  PetscInt           max_rounds;
  PetscBool          monitor;
  PetscReal          residual, walras; /* at the last evaluation */
  WalrasSolveReport *report;
} Accel;

enum { A_PZ, A_PX, A_TSUM, A_NSUMS, A_RES = A_NSUMS, A_NSLOTS };

static void SumThenMax(void *in, void *inout, int *len, MPI_Datatype *type)
{
  const double *a = (const double *)in;
  double       *b = (double *)inout;

  (void)type;
  for (int i = 0; i < *len; i++) b[i] = i % A_NSLOTS < A_NSUMS ? b[i] + a[i] : PetscMax(a[i], b[i]);
}

/* q = max(p / <p+, 1>, floor): the positive part normalised, then floored,
   so that an iterate with a few huge entries cannot push the others below
   the floor.  Null goods (price 0 at the start) stay 0.  One reduction; returns
   PETSC_FALSE when the iterate holds a NaN or an infinity (the mixing broke
   down), which the caller reports as a failed solve. */
static PetscErrorCode Project(Accel *ac, Vec p, PetscBool *finite)
{
  const PetscReal   *pa, *la;
  PetscReal         *qa, local[2] = {0.0, 0.0}, floor = 1e-30 / ac->W;
  PetscInt           n, start;
  MPI_Comm           comm;
  WalrasWeightCursor wc;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetOwnershipRange(p, &start, NULL));
  wc = WalrasMarketWeights(ac->market, start);
  PetscCall(VecGetArrayRead(p, &pa));
  for (PetscInt i = 0; i < n; i++) {
    PetscReal w = WalrasWeightNext(&wc);

    if (PetscIsInfOrNanReal(pa[i]))
      local[1] = 1.0;
    else if (pa[i] > 0.0)
      local[0] += w * pa[i];
  }
  PetscCallMPI(MPIU_Allreduce(MPI_IN_PLACE, local, 2, MPIU_REAL, MPI_SUM, comm));
  *finite = (PetscBool)(local[1] == 0.0 && local[0] > 0.0);
  PetscCall(VecGetArray(ac->q, &qa));
  PetscCall(VecGetArrayRead(ac->live, &la));
  for (PetscInt i = 0; i < n; i++)
    qa[i] = (la[i] == 0.0 || !*finite) ? 0.0 : PetscMax(pa[i] / local[0], floor);
  PetscCall(VecRestoreArrayRead(ac->live, &la));
  PetscCall(VecRestoreArray(ac->q, &qa));
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscFunctionReturn(0);
}

static PetscErrorCode FixedPointResidual(SNES snes, Vec p, Vec F, void *ctx)
{
  Accel             *ac = (Accel *)ctx;
  MPI_Comm           comm;
  MPI_Op             op;
  const PetscReal   *pa, *qa, *za, *sa;
  PetscReal         *fa, buf[A_NSLOTS] = {0}, floor = 1e-30 / ac->W;
  PetscInt           n, start;
  PetscBool          finite;
  WalrasWeightCursor wc;

  PetscFunctionBegin;
  (void)snes;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetOwnershipRange(p, &start, NULL));
  PetscCall(Project(ac, p, &finite));
  if (!finite) {
    PetscCall(VecSet(F, NAN));
    ac->residual = NAN;
    PetscFunctionReturn(0);
  }
  PetscCall(ac->market->evaluate(ac->market->ctx, ac->q, ac->z, ac->s, NULL));
  ac->report->evaluations++;

  /* The tâtonnement step from q, its Walras sums and natural residual. */
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(VecGetArrayRead(ac->q, &qa));
  PetscCall(VecGetArrayRead(ac->z, &za));
  PetscCall(VecGetArrayRead(ac->s, &sa));
  PetscCall(VecGetArray(F, &fa));
  wc = WalrasMarketWeights(ac->market, start);
  for (PetscInt i = 0; i < n; i++) {
    PetscReal zt = sa[i] > 0.0 ? za[i] / sa[i] : 0.0, ph = qa[i] * ac->W, t;
    PetscReal w = WalrasWeightNext(&wc);

    buf[A_PZ] += w * qa[i] * za[i];
    buf[A_PX] += w * qa[i] * 0.5 * (sa[i] + za[i]);
    buf[A_RES] = PetscMax(buf[A_RES], PetscAbsReal(ph - PetscMax(0.0, ph + zt)));
    t = sa[i] > 0.0 ? PetscMax(qa[i] * PetscMin(PetscMax(1.0 + ac->lambda * zt, 0.1), 10.0), floor)
                    : qa[i];
    buf[A_TSUM] += w * t;
    fa[i] = t;
  }
  PetscCallMPI(MPI_Op_create(SumThenMax, 1, &op));
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, A_NSLOTS, MPI_DOUBLE, op, comm));
  PetscCallMPI(MPI_Op_free(&op));
  for (PetscInt i = 0; i < n; i++) fa[i] = pa[i] - fa[i] / buf[A_TSUM];
  PetscCall(VecRestoreArray(F, &fa));
  PetscCall(VecRestoreArrayRead(ac->s, &sa));
  PetscCall(VecRestoreArrayRead(ac->z, &za));
  PetscCall(VecRestoreArrayRead(ac->q, &qa));
  PetscCall(VecRestoreArrayRead(p, &pa));

  ac->residual = buf[A_RES];
  ac->walras   = buf[A_PX] > 0.0 ? PetscAbsReal(buf[A_PZ]) / buf[A_PX] : PetscAbsReal(buf[A_PZ]);
  PetscCheck(ac->walras <= 1e-10, comm, PETSC_ERR_PLIB,
             "iteration %" PetscInt_FMT
             ": Walras' law fails: |<p, z>| / <p, x> = %.3e (allowed 1e-10); the excess "
             "demand is computed wrongly",
             ac->report->n_history, ac->walras);
  PetscFunctionReturn(0);
}

/* Stops on the natural residual measured at the last evaluation, which
   PETSc makes at the current iterate before it tests convergence. */
static PetscErrorCode Converged(SNES snes, PetscInt it, PetscReal xnorm, PetscReal snorm,
                                PetscReal fnorm, SNESConvergedReason *reason, void *ctx)
{
  Accel *ac = (Accel *)ctx;

  PetscFunctionBegin;
  (void)snes;
  (void)xnorm;
  (void)snorm;
  (void)fnorm;
  *reason = SNES_CONVERGED_ITERATING;
  PetscCall(WalrasSolveReportPush(ac->report, ac->residual, ac->walras, NAN));
  if (ac->monitor)
    PetscCall(PetscPrintf(PETSC_COMM_WORLD,
                          "  %s it %5" PetscInt_FMT "  residual %.3e  walras %.1e\n",
                          ac->report->solver, it, ac->residual, ac->walras));
  if (ac->residual < ac->rtol)
    *reason = SNES_CONVERGED_FNORM_ABS;
  else if (it >= ac->max_rounds)
    *reason = SNES_DIVERGED_MAX_IT;
  else if (PetscIsNanReal(ac->residual))
    *reason = SNES_DIVERGED_FNORM_NAN;
  PetscFunctionReturn(0);
}

static PetscErrorCode SolveAccelerated(WalrasMarket *market, Vec p, WalrasSolveReport *report,
                                       SNESType type)
{
  MPI_Comm            comm;
  Accel               ac;
  SNES                snes;
  Vec                 r;
  SNESConvergedReason reason;
  double              t0 = MPI_Wtime();

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(PetscMemzero(&ac, sizeof(ac)));
  ac.market     = market;
  ac.report     = report;
  ac.lambda     = 0.9;
  ac.rtol       = 1e-10;
  ac.max_rounds = 2000;
  PetscOptionsBegin(comm, NULL, "Accelerated tatonnement (walras)", NULL);
  PetscCall(PetscOptionsReal("-tat_lambda", "Step of the underlying tatonnement", NULL, ac.lambda,
                             &ac.lambda, NULL));
  PetscCall(PetscOptionsReal("-tat_rtol", "Stop when the natural residual is below this", NULL,
                             ac.rtol, &ac.rtol, NULL));
  PetscCall(PetscOptionsInt("-accel_max_it", "Iteration limit", NULL, ac.max_rounds, &ac.max_rounds,
                            NULL));
  PetscCall(PetscOptionsBool("-tat_monitor", "Print one line per iteration", NULL, ac.monitor,
                             &ac.monitor, NULL));
  PetscOptionsEnd();
  PetscCall(WalrasSolveReportReset(report));
  PetscCall(PetscStrncpy(report->solver, type, sizeof(report->solver)));
  PetscCall(WalrasMarketTotalWeight(market, &ac.W));
  PetscCall(VecDuplicate(p, &ac.z));
  PetscCall(VecDuplicate(p, &ac.s));
  PetscCall(VecDuplicate(p, &ac.q));
  PetscCall(VecDuplicate(p, &r));
  PetscCall(VecDuplicate(p, &ac.live));
  {
    PetscReal *la;
    PetscInt   n;

    PetscCall(VecCopy(p, ac.live));
    PetscCall(VecGetLocalSize(p, &n));
    PetscCall(VecGetArray(ac.live, &la));
    for (PetscInt i = 0; i < n; i++) la[i] = la[i] != 0.0 ? 1.0 : 0.0;
    PetscCall(VecRestoreArray(ac.live, &la));
  }

  PetscCall(SNESCreate(comm, &snes));
  PetscCall(SNESSetOptionsPrefix(snes, "accel_"));
  PetscCall(SNESSetType(snes, type));
  PetscCall(SNESSetFunction(snes, r, FixedPointResidual, &ac));
  PetscCall(SNESSetTolerances(snes, 0.0, 0.0, 0.0, ac.max_rounds + 1, PETSC_MAX_INT));
  PetscCall(SNESSetConvergenceTest(snes, Converged, &ac, NULL));
  PetscCall(SNESSetFromOptions(snes));
  PetscCall(SNESSolve(snes, NULL, p));
  PetscCall(SNESGetConvergedReason(snes, &reason));

  /* The answer is the projected, normalised iterate. */
  {
    PetscBool finite;

    PetscCall(Project(&ac, p, &finite));
    if (finite) PetscCall(VecCopy(ac.q, p));
  }
  report->rounds   = report->n_history > 0 ? report->n_history - 1 : 0;
  report->residual = ac.residual;
  report->walras   = ac.walras;
  if (reason == SNES_CONVERGED_FNORM_ABS)
    report->reason = WALRAS_STOP_CONVERGED;
  else if (reason == SNES_DIVERGED_MAX_IT)
    report->reason = WALRAS_STOP_MAX_ROUNDS;
  else
    report->reason = WALRAS_STOP_SOLVER_FAILED;
  PetscCall(PetscSNPrintf(report->detail, sizeof(report->detail), "SNES %s: %s", type,
                          SNESConvergedReasons[reason]));
  if (report->n_history > 1) {
    PetscInt  m = PetscMin(10, report->n_history - 1);
    PetscReal a = report->history_residual[report->n_history - 1 - m],
              b = report->history_residual[report->n_history - 1];

    report->observed_rate = (a > 0.0 && b > 0.0) ? PetscPowReal(b / a, 1.0 / m) : NAN;
  }
  report->kappa   = NAN;
  report->seconds = MPI_Wtime() - t0;

  PetscCall(SNESDestroy(&snes));
  PetscCall(VecDestroy(&r));
  PetscCall(VecDestroy(&ac.z));
  PetscCall(VecDestroy(&ac.s));
  PetscCall(VecDestroy(&ac.q));
  PetscCall(VecDestroy(&ac.live));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasSolveAnderson(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  PetscFunctionBegin;
  PetscCall(SolveAccelerated(market, p, report, SNESANDERSON));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasSolveNGMRES(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  PetscFunctionBegin;
  PetscCall(SolveAccelerated(market, p, report, SNESNGMRES));
  PetscFunctionReturn(0);
}
