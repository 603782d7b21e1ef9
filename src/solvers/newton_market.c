/* Newton's method for the price-only complementarity problem of a
   WalrasMarket, 0 <= p  _|_  -z(p) >= 0 (docs/solvers.md).

   Demand is homogeneous of degree 0, so the Jacobian of z is singular along
   p.  The residual carries the normalisation in every row instead:

     F_i(p) = -z_i(p) / s_i + (<p, 1>_w - 1),     0 <= p  _|_  F(p) >= 0,

   with s > 0 a fixed per-good scale (the market's scale at the start).
   Why the solutions are exactly the normalised equilibria: let
   c = <p, 1>_w - 1.  Complementarity gives p_i F_i = 0 for every i, that is
   p_i z_i = c s_i p_i.  Multiply by w_i and sum over the goods: Walras' law
   makes the left side <p, z>_w = 0, so c <p, s>_w = 0.  As p >= 0 is not 0
   (demand is not defined at p = 0) and s, w > 0, <p, s>_w > 0 and c = 0:
   p is normalised, F = -z / s >= 0, and p is an equilibrium.  Conversely a
   normalised equilibrium has c = 0 and solves the problem.

   The Jacobian is PETSc's finite-difference one (SNESComputeJacobianDefault)
   on a dense matrix. */
#include <walras/solver.h>
#include <petscsnes.h>

#include <math.h>
#include <string.h>

/* |<p, z>| may not exceed this fraction of <p, x> (MODEL.md section 4). */
#define WALRAS_LAW_TOL 1e-10

typedef struct {
  WalrasMarket      *market;
  Vec                plus; /* max(p, 0): the market is evaluated only there */
  Vec                z, scale, wp, r;
  Vec                sinv; /* 1 / s, fixed at the start */
  WalrasSolveReport *report;
  PetscBool          monitor;
  PetscReal          residual, walras; /* at the latest measured point */
  PetscInt           worst;
} NewtonContext;

static PetscErrorCode PositivePart(Vec P, Vec out)
{
  PetscScalar *a;
  PetscInt     n;

  PetscFunctionBegin;
  PetscCall(VecCopy(P, out));
  PetscCall(VecGetLocalSize(out, &n));
  PetscCall(VecGetArray(out, &a));
  for (PetscInt i = 0; i < n; i++) a[i] = PetscMax(PetscRealPart(a[i]), 0);
  PetscCall(VecRestoreArray(out, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode NewtonFunction(SNES snes, Vec P, Vec F, void *ptr)
{
  NewtonContext *ctx = (NewtonContext *)ptr;
  PetscScalar    mass;

  PetscFunctionBegin;
  PetscCall(PositivePart(P, ctx->plus));
  PetscCall(ctx->market->evaluate(ctx->market->ctx, ctx->plus, ctx->z, NULL, NULL));
  PetscCall(VecPointwiseMult(ctx->wp, ctx->market->weight, ctx->plus));
  PetscCall(VecSum(ctx->wp, &mass));
  PetscCall(VecPointwiseMult(F, ctx->z, ctx->sinv));
  PetscCall(VecScale(F, -1.0));
  PetscCall(VecShift(F, mass - 1));
  PetscFunctionReturn(0);
}

/* At p >= 0: the natural residual max_i |p_i - max(0, p_i + z_i / s_i)|, the
   worst good, and the Walras value |<p, z>_w| / <p, x>; a violation of
   Walras' law is an error (the market's code is wrong, not the solver). */
static PetscErrorCode NewtonMeasure(NewtonContext *ctx, Vec p, PetscInt it)
{
  PetscScalar        pz;
  PetscReal          px;
  PetscScalar       *r;
  const PetscScalar *pa;
  PetscInt           n;

  PetscFunctionBegin;
  PetscCall(ctx->market->evaluate(ctx->market->ctx, p, ctx->z, ctx->scale, &px));
  PetscCall(VecPointwiseMult(ctx->wp, ctx->market->weight, p));
  PetscCall(VecDot(ctx->wp, ctx->z, &pz));
  PetscCheck(PetscAbsScalar(pz) <= WALRAS_LAW_TOL * px, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "Walras' law fails at Newton iteration %" PetscInt_FMT
             ": |<p, z>| = %g > %g <p, x> = %g; the market's demand or supply is wrong",
             it, (double)PetscAbsScalar(pz), WALRAS_LAW_TOL, (double)px);
  ctx->walras = px > 0 ? PetscAbsScalar(pz) / px : 0;

  PetscCall(VecPointwiseMult(ctx->r, ctx->z, ctx->sinv));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(VecGetArray(ctx->r, &r));
  for (PetscInt i = 0; i < n; i++) r[i] = PetscAbsReal(pa[i] - PetscMax(0, pa[i] + r[i]));
  PetscCall(VecRestoreArray(ctx->r, &r));
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscCall(VecMax(ctx->r, &ctx->worst, &ctx->residual));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReportAppend(WalrasSolveReport *report, PetscReal residual, PetscReal walras)
{
  PetscFunctionBegin;
  if (report->n_history == report->cap_history) {
    PetscInt cap   = PetscMax(16, 2 * report->cap_history);
    size_t   bytes = sizeof(PetscReal) * (size_t)cap;

    PetscCall(PetscRealloc(bytes, &report->history_residual));
    PetscCall(PetscRealloc(bytes, &report->history_walras));
    PetscCall(PetscRealloc(bytes, &report->history_kappa));
    report->cap_history = cap;
  }
  report->history_residual[report->n_history] = residual;
  report->history_walras[report->n_history]   = walras;
  report->history_kappa[report->n_history]    = NAN;
  report->n_history++;
  PetscFunctionReturn(0);
}

/* Runs at every iteration: Walras' law, the history, and with
   -newton_monitor one line of log. */
static PetscErrorCode NewtonMonitor(SNES snes, PetscInt it, PetscReal fnorm, void *ptr)
{
  NewtonContext *ctx = (NewtonContext *)ptr;
  Vec            P;

  PetscFunctionBegin;
  PetscCall(SNESGetSolution(snes, &P));
  PetscCall(PositivePart(P, ctx->plus));
  PetscCall(NewtonMeasure(ctx, ctx->plus, it));
  PetscCall(ReportAppend(ctx->report, ctx->residual, ctx->walras));
  if (ctx->monitor) {
    char name[64];

    PetscCall(ctx->market->good_name(ctx->market->ctx, ctx->worst, name, sizeof(name)));
    PetscCall(WalrasLog("  newton %3" PetscInt_FMT ": |F| %.3e  natural residual %.3e (worst %s)  "
                        "walras %.1e\n",
                        it, (double)fnorm, (double)ctx->residual, name, (double)ctx->walras));
  }
  PetscFunctionReturn(0);
}

/* p >= 0 scaled to <p, 1>_w = 1. */
static PetscErrorCode NewtonNormalise(NewtonContext *ctx, Vec p)
{
  PetscScalar mass;

  PetscFunctionBegin;
  PetscCall(PositivePart(p, p));
  PetscCall(VecPointwiseMult(ctx->wp, ctx->market->weight, p));
  PetscCall(VecSum(ctx->wp, &mass));
  PetscCheck(PetscRealPart(mass) > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_WRONG,
             "Newton: the starting prices are all 0; expected some price > 0");
  PetscCall(VecScale(p, 1.0 / mass));
  PetscFunctionReturn(0);
}

/* The fixed scale 1 / s from the market's scale at p (1 where s = 0). */
static PetscErrorCode NewtonSetScale(NewtonContext *ctx, Vec p)
{
  PetscScalar *a;
  PetscInt     n;

  PetscFunctionBegin;
  PetscCall(ctx->market->evaluate(ctx->market->ctx, p, ctx->z, ctx->sinv, NULL));
  PetscCall(VecGetLocalSize(ctx->sinv, &n));
  PetscCall(VecGetArray(ctx->sinv, &a));
  for (PetscInt i = 0; i < n; i++) a[i] = PetscRealPart(a[i]) > 0 ? 1.0 / a[i] : 1.0;
  PetscCall(VecRestoreArray(ctx->sinv, &a));
  PetscFunctionReturn(0);
}

static PetscErrorCode NewtonCreateSNES(NewtonContext *ctx, Vec F, Mat J, SNES *snes)
{
  KSP ksp;
  PC  pc;

  PetscFunctionBegin;
  PetscCall(SNESCreate(PETSC_COMM_WORLD, snes));
  PetscCall(SNESSetOptionsPrefix(*snes, "newton_"));
  PetscCall(SNESSetType(*snes, SNESVINEWTONSSLS));
  PetscCall(SNESSetFunction(*snes, F, NewtonFunction, ctx));
  PetscCall(SNESSetJacobian(*snes, J, J, SNESComputeJacobianDefault, ctx));
  PetscCall(SNESSetTolerances(*snes, 1e-12, 1e-30, 1e-30, 100, 10000));
  PetscCall(SNESGetKSP(*snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCSVD));
  PetscCall(SNESMonitorSet(*snes, NewtonMonitor, ctx, NULL));
  PetscCall(SNESSetFromOptions(*snes));
  PetscFunctionReturn(0);
}

static PetscErrorCode NewtonFillReport(NewtonContext *ctx, SNES snes, Vec p, double t0)
{
  WalrasSolveReport  *report = ctx->report;
  SNESConvergedReason reason;
  PetscInt            it, k;
  char                name[64];

  PetscFunctionBegin;
  PetscCall(SNESGetConvergedReason(snes, &reason));
  PetscCall(SNESGetIterationNumber(snes, &it));
  PetscCall(NewtonNormalise(ctx, p));
  PetscCall(NewtonMeasure(ctx, p, it));
  PetscCall(ctx->market->good_name(ctx->market->ctx, ctx->worst, name, sizeof(name)));
  PetscCall(PetscStrncpy(report->solver, "newton", sizeof(report->solver)));
  report->reason   = reason > 0 ? WALRAS_STOP_CONVERGED : WALRAS_STOP_SOLVER_FAILED;
  report->rounds   = it;
  report->residual = ctx->residual;
  report->walras   = ctx->walras;
  report->kappa    = NAN;
  report->seconds  = MPI_Wtime() - t0;
  PetscCall(PetscSNPrintf(report->detail, sizeof(report->detail),
                          "SNES %s after %" PetscInt_FMT " iterations; worst good %s (natural "
                          "residual %.3e)",
                          SNESConvergedReasons[reason], it, name, (double)ctx->residual));

  /* Geometric mean ratio of the residual over (up to) the last 5 rounds. */
  report->observed_rate = NAN;
  k                     = PetscMin(5, report->n_history - 1);
  if (k > 0 && report->history_residual[report->n_history - 1 - k] > 0)
    report->observed_rate = PetscPowReal(report->history_residual[report->n_history - 1] /
                                             report->history_residual[report->n_history - 1 - k],
                                         1.0 / k);
  PetscFunctionReturn(0);
}

/*
  WalrasSolveNewton - Collective.  Solves 0 <= p _|_ -z(p) >= 0 for a
  WalrasMarket with PETSc's vinewtonssls (or -newton_snes_type vinewtonrsls)
  and a finite-difference dense Jacobian, starting from p (normalised on
  entry to <p, 1>_w = 1) and leaving the equilibrium, normalised, in p.
  Fills *report (its previous contents are freed).  Checks Walras' law at
  every iteration and raises PETSC_ERR_PLIB when it fails.  Options:
  -newton_monitor, -newton_snes_* (prefix newton_).
*/
PetscErrorCode WalrasSolveNewton(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  NewtonContext ctx;
  SNES          snes;
  Vec           F, XL, XU;
  Mat           J;
  PetscInt      nlocal, n;
  double        t0 = MPI_Wtime();

  PetscFunctionBegin;
  PetscCall(WalrasSolveReportReset(report));
  PetscCall(PetscMemzero(&ctx, sizeof(ctx)));
  ctx.market = market;
  ctx.report = report;
  PetscOptionsBegin(PETSC_COMM_WORLD, "newton_", "Newton solver for a market", NULL);
  PetscCall(
      PetscOptionsBool("-monitor", "log every iteration", NULL, ctx.monitor, &ctx.monitor, NULL));
  PetscOptionsEnd();
  PetscCall(VecDuplicate(p, &ctx.plus));
  PetscCall(VecDuplicate(p, &ctx.z));
  PetscCall(VecDuplicate(p, &ctx.scale));
  PetscCall(VecDuplicate(p, &ctx.wp));
  PetscCall(VecDuplicate(p, &ctx.r));
  PetscCall(VecDuplicate(p, &ctx.sinv));
  PetscCall(VecDuplicate(p, &F));
  PetscCall(VecDuplicate(p, &XL));
  PetscCall(VecDuplicate(p, &XU));
  PetscCall(VecSet(XL, 0.0));
  PetscCall(VecSet(XU, PETSC_INFINITY));
  PetscCall(VecGetLocalSize(p, &nlocal));
  PetscCall(VecGetSize(p, &n));
  PetscCall(MatCreateDense(PetscObjectComm((PetscObject)p), nlocal, nlocal, n, n, NULL, &J));

  PetscCall(NewtonNormalise(&ctx, p));
  PetscCall(NewtonSetScale(&ctx, p));
  PetscCall(NewtonCreateSNES(&ctx, F, J, &snes));
  PetscCall(SNESVISetVariableBounds(snes, XL, XU));
  PetscCall(SNESSolve(snes, NULL, p));
  PetscCall(NewtonFillReport(&ctx, snes, p, t0));

  PetscCall(SNESDestroy(&snes));
  PetscCall(MatDestroy(&J));
  PetscCall(VecDestroy(&F));
  PetscCall(VecDestroy(&XL));
  PetscCall(VecDestroy(&XU));
  PetscCall(VecDestroy(&ctx.plus));
  PetscCall(VecDestroy(&ctx.z));
  PetscCall(VecDestroy(&ctx.scale));
  PetscCall(VecDestroy(&ctx.wp));
  PetscCall(VecDestroy(&ctx.r));
  PetscCall(VecDestroy(&ctx.sinv));
  PetscFunctionReturn(0);
}
