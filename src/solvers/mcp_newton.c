/* The complementarity problem of a classic economy in prices and activity
   levels, solved with PETSc's semismooth (vinewtonssls) or reduced-space
   (vinewtonrsls) Newton method (docs/solvers.md):

     0 <= p_g  _|_  -z_g(p, y) + (N(p, y) - v) >= 0     every good g
     0 <= y_a  _|_  -<A_a, p>                  >= 0     every activity a

   The residual and its analytic Jacobian come from WalrasClassicMCPEvaluate.
   The unknowns live in a Vec distributed over PETSC_COMM_WORLD; the economy
   is small, so every rank gathers the whole vector, evaluates everything and
   keeps its own rows (of F and of the dense Jacobian). */
#include <walras/classic.h>

#include <math.h>

typedef struct {
  WalrasClassic eco;
  PetscInt      nu;     /* n_goods + n_activities */
  VecScatter    gather; /* distributed u -> whole copy on every rank */
  Vec           all;
  PetscReal    *u, *F, *J, *lo; /* whole, on every rank */
  PetscInt     *cols;
} MCPContext;

/* Copies the whole of U into ctx->u, with the prices lifted to their floors:
   the semismooth method may try points outside the bounds, where demand is
   not defined. */
static PetscErrorCode MCPGather(MCPContext *ctx, Vec U)
{
  const PetscScalar *a;

  PetscFunctionBegin;
  PetscCall(VecScatterBegin(ctx->gather, U, ctx->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(ctx->gather, U, ctx->all, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecGetArrayRead(ctx->all, &a));
  for (PetscInt i = 0; i < ctx->nu; i++) ctx->u[i] = a[i];
  PetscCall(VecRestoreArrayRead(ctx->all, &a));
  for (PetscInt g = 0; g < ctx->eco->n_goods; g++) ctx->u[g] = PetscMax(ctx->u[g], ctx->lo[g]);
  PetscFunctionReturn(0);
}

static PetscErrorCode MCPFunction(SNES snes, Vec U, Vec F, void *ptr)
{
  MCPContext  *ctx = (MCPContext *)ptr;
  PetscScalar *f;
  PetscInt     lo, hi;

  PetscFunctionBegin;
  PetscCall(MCPGather(ctx, U));
  PetscCall(WalrasClassicMCPEvaluate(ctx->eco, ctx->u, ctx->F, NULL));
  PetscCall(VecGetOwnershipRange(F, &lo, &hi));
  PetscCall(VecGetArray(F, &f));
  for (PetscInt i = lo; i < hi; i++) f[i - lo] = ctx->F[i];
  PetscCall(VecRestoreArray(F, &f));
  PetscFunctionReturn(0);
}

static PetscErrorCode MCPJacobian(SNES snes, Vec U, Mat J, Mat P, void *ptr)
{
  MCPContext *ctx = (MCPContext *)ptr;
  PetscInt    lo, hi;

  PetscFunctionBegin;
  PetscCall(MCPGather(ctx, U));
  PetscCall(WalrasClassicMCPEvaluate(ctx->eco, ctx->u, NULL, ctx->J));
  PetscCall(MatGetOwnershipRange(P, &lo, &hi));
  for (PetscInt i = lo; i < hi; i++)
    PetscCall(MatSetValues(P, 1, &i, ctx->nu, ctx->cols, &ctx->J[i * ctx->nu], INSERT_VALUES));
  PetscCall(MatAssemblyBegin(P, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(P, MAT_FINAL_ASSEMBLY));
  if (J != P) {
    PetscCall(MatAssemblyBegin(J, MAT_FINAL_ASSEMBLY));
    PetscCall(MatAssemblyEnd(J, MAT_FINAL_ASSEMBLY));
  }
  PetscFunctionReturn(0);
}

static const char *UnknownName(WalrasClassic eco, PetscInt i)
{
  return i < eco->n_goods ? eco->good[i] : eco->activity[i - eco->n_goods];
}

/* The natural residual of the MCP at ctx->u (already gathered):
   r_i = u_i - max(lo_i, u_i - F_i); its max-norm, the worst unknown and
   its signed residual. */
static PetscErrorCode MCPNaturalResidual(MCPContext *ctx, PetscReal *norm, PetscInt *worst,
                                         PetscReal *worst_r)
{
  const PetscInt n = ctx->eco->n_goods;

  PetscFunctionBegin;
  PetscCall(WalrasClassicMCPEvaluate(ctx->eco, ctx->u, ctx->F, NULL));
  *norm    = -1;
  *worst   = 0;
  *worst_r = 0;
  for (PetscInt i = 0; i < ctx->nu; i++) {
    PetscReal lo = i < n ? ctx->lo[i] : 0;
    PetscReal r  = ctx->u[i] - PetscMax(lo, ctx->u[i] - ctx->F[i]);

    if (PetscAbsReal(r) > *norm) {
      *norm    = PetscAbsReal(r);
      *worst   = i;
      *worst_r = r;
    }
  }
  PetscFunctionReturn(0);
}

/* -newton_monitor: one line per iteration, from rank 0. */
static PetscErrorCode MCPMonitor(SNES snes, PetscInt it, PetscReal fnorm, void *ptr)
{
  MCPContext *ctx = (MCPContext *)ptr;
  Vec         U;
  PetscReal   norm, worst_r;
  PetscInt    worst;

  PetscFunctionBegin;
  PetscCall(SNESGetSolution(snes, &U));
  PetscCall(MCPGather(ctx, U));
  PetscCall(MCPNaturalResidual(ctx, &norm, &worst, &worst_r));
  PetscCall(
      WalrasLog("  newton %3" PetscInt_FMT ": |F| %.3e  natural residual %.3e  worst %s (%+.3e)\n",
                it, (double)fnorm, (double)norm, UnknownName(ctx->eco, worst), (double)worst_r));
  PetscFunctionReturn(0);
}

static PetscErrorCode MCPContextCreate(WalrasClassic eco, PetscReal floor, Vec U, MCPContext *ctx)
{
  PetscFunctionBegin;
  ctx->eco = eco;
  ctx->nu  = eco->n_goods + eco->n_activities;
  PetscCall(PetscMalloc4(ctx->nu, &ctx->u, ctx->nu, &ctx->F, ctx->nu * ctx->nu, &ctx->J, ctx->nu,
                         &ctx->lo));
  PetscCall(PetscMalloc1(ctx->nu, &ctx->cols));
  for (PetscInt i = 0; i < ctx->nu; i++) {
    ctx->cols[i] = i;
    ctx->lo[i]   = 0;
  }
  PetscCall(WalrasClassicPriceFloor(eco, floor, ctx->lo));
  PetscCall(VecScatterCreateToAll(U, &ctx->gather, &ctx->all));
  PetscFunctionReturn(0);
}

static PetscErrorCode MCPContextDestroy(MCPContext *ctx)
{
  PetscFunctionBegin;
  PetscCall(PetscFree4(ctx->u, ctx->F, ctx->J, ctx->lo));
  PetscCall(PetscFree(ctx->cols));
  PetscCall(VecScatterDestroy(&ctx->gather));
  PetscCall(VecDestroy(&ctx->all));
  PetscFunctionReturn(0);
}

/* Sets U from the start (prices lifted to their floors and normalised) and
   the bounds XL = (lo, 0), XU = +inf. */
static PetscErrorCode MCPSetStart(MCPContext *ctx, const PetscReal p0[], const PetscReal y0[],
                                  Vec U, Vec XL, Vec XU)
{
  WalrasClassic eco = ctx->eco;
  PetscScalar  *u, *xl;
  PetscInt      lo, hi;

  PetscFunctionBegin;
  for (PetscInt g = 0; g < eco->n_goods; g++) ctx->u[g] = PetscMax(p0[g], ctx->lo[g]);
  for (PetscInt a = 0; a < eco->n_activities; a++) ctx->u[eco->n_goods + a] = y0 ? y0[a] : 0;
  PetscCall(WalrasClassicNormalise(eco, ctx->u, ctx->u + eco->n_goods));
  PetscCall(VecGetOwnershipRange(U, &lo, &hi));
  PetscCall(VecGetArray(U, &u));
  PetscCall(VecGetArray(XL, &xl));
  for (PetscInt i = lo; i < hi; i++) {
    u[i - lo]  = ctx->u[i];
    xl[i - lo] = ctx->lo[i];
  }
  PetscCall(VecRestoreArray(U, &u));
  PetscCall(VecRestoreArray(XL, &xl));
  PetscCall(VecSet(XU, PETSC_INFINITY));
  PetscFunctionReturn(0);
}

/* Creates the SNES with the project's defaults, then lets -newton_snes_*
   options override them. */
static PetscErrorCode MCPCreateSNES(MCPContext *ctx, Vec F, Mat J, PetscBool monitor, SNES *snes)
{
  KSP ksp;
  PC  pc;

  PetscFunctionBegin;
  PetscCall(SNESCreate(PETSC_COMM_WORLD, snes));
  PetscCall(SNESSetOptionsPrefix(*snes, "newton_"));
  PetscCall(SNESSetType(*snes, SNESVINEWTONSSLS));
  PetscCall(SNESSetFunction(*snes, F, MCPFunction, ctx));
  PetscCall(SNESSetJacobian(*snes, J, J, MCPJacobian, ctx));
  PetscCall(SNESSetTolerances(*snes, 1e-13, 1e-30, 1e-30, 100, 10000));
  /* Dense and tiny: a pseudo-inverse (SVD) solve on a gathered copy, which
     also survives a singular reduced Jacobian. */
  PetscCall(SNESGetKSP(*snes, &ksp));
  PetscCall(KSPSetType(ksp, KSPPREONLY));
  PetscCall(KSPGetPC(ksp, &pc));
  PetscCall(PCSetType(pc, PCSVD));
  if (monitor) PetscCall(SNESMonitorSet(*snes, MCPMonitor, ctx, NULL));
  PetscCall(SNESSetFromOptions(*snes));
  PetscFunctionReturn(0);
}

/* Fills result from the converged (or last) iterate U. */
static PetscErrorCode MCPFillResult(MCPContext *ctx, SNES snes, Vec U, WalrasClassicResult *result)
{
  WalrasClassic  eco = ctx->eco;
  const PetscInt n = eco->n_goods, na = eco->n_activities;
  PetscReal      pmax = 0, ymax = 0;
  PetscInt       worst;

  PetscFunctionBegin;
  PetscCall(SNESGetConvergedReason(snes, &result->reason));
  PetscCall(SNESGetIterationNumber(snes, &result->iterations));
  PetscCall(MCPGather(ctx, U));
  for (PetscInt a = 0; a < na; a++) ctx->u[n + a] = PetscMax(ctx->u[n + a], 0);
  PetscCall(MCPNaturalResidual(ctx, &result->residual, &worst, &result->worst_residual));
  PetscCall(PetscSNPrintf(result->worst, sizeof(result->worst), "%s %s",
                          worst < n ? "good" : "activity", UnknownName(eco, worst)));

  /* Bounds count as active within a relative 1e-9 of the largest value. */
  for (PetscInt g = 0; g < n; g++) pmax = PetscMax(pmax, ctx->u[g]);
  for (PetscInt a = 0; a < na; a++) ymax = PetscMax(ymax, ctx->u[n + a]);
  result->free_goods      = 0;
  result->idle_activities = 0;
  for (PetscInt g = 0; g < n; g++)
    if (ctx->u[g] <= ctx->lo[g] + 1e-9 * pmax) result->free_goods++;
  for (PetscInt a = 0; a < na; a++)
    if (ctx->u[n + a] <= 1e-9 * PetscMax(ymax, 1)) result->idle_activities++;

  for (PetscInt g = 0; g < n; g++) result->prices[g] = ctx->u[g];
  for (PetscInt a = 0; a < na; a++) result->activity[a] = ctx->u[n + a];
  /* A failed solve may end where the numeraire's value is not positive:
     its point is then reported as it is. */
  if (result->reason > 0) PetscCall(WalrasClassicNormalise(eco, result->prices, result->activity));
  PetscCall(WalrasClassicIncome(eco, result->prices, result->activity, result->income));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicResultReset(WalrasClassicResult *result)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(result->prices));
  PetscCall(PetscFree(result->activity));
  PetscCall(PetscFree(result->income));
  PetscCall(PetscMemzero(result, sizeof(*result)));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicSolveMCP(WalrasClassic eco, const PetscReal p0[], const PetscReal y0[],
                                     WalrasClassicResult *result)
{
  MCPContext ctx;
  SNES       snes;
  Vec        U, F, XL, XU;
  Mat        J;
  PetscReal  floor   = 1e-10;
  PetscBool  monitor = PETSC_FALSE;
  PetscInt   nlocal;
  double     t0 = MPI_Wtime();

  PetscFunctionBegin;
  PetscOptionsBegin(PETSC_COMM_WORLD, "newton_", "Newton complementarity solver (classic)", NULL);
  PetscCall(PetscOptionsReal("-price_floor", "lower bound of the prices of wanted goods", NULL,
                             floor, &floor, NULL));
  PetscCall(PetscOptionsBool("-monitor", "log every iteration", NULL, monitor, &monitor, NULL));
  PetscOptionsEnd();
  PetscCall(WalrasClassicResultReset(result));
  PetscCall(PetscCalloc1(eco->n_goods, &result->prices));
  PetscCall(PetscCalloc1(eco->n_activities + 1, &result->activity));
  PetscCall(PetscCalloc1(eco->n_consumers, &result->income));

  PetscCall(VecCreateMPI(PETSC_COMM_WORLD, PETSC_DECIDE, eco->n_goods + eco->n_activities, &U));
  PetscCall(VecGetLocalSize(U, &nlocal));
  PetscCall(VecDuplicate(U, &F));
  PetscCall(VecDuplicate(U, &XL));
  PetscCall(VecDuplicate(U, &XU));
  PetscCall(MCPContextCreate(eco, floor, U, &ctx));
  PetscCall(MatCreateDense(PETSC_COMM_WORLD, nlocal, nlocal, ctx.nu, ctx.nu, NULL, &J));
  PetscCall(MCPSetStart(&ctx, p0, y0, U, XL, XU));

  PetscCall(MCPCreateSNES(&ctx, F, J, monitor, &snes));
  PetscCall(SNESVISetVariableBounds(snes, XL, XU));
  PetscCall(SNESSolve(snes, NULL, U));
  PetscCall(MCPFillResult(&ctx, snes, U, result));
  result->seconds = MPI_Wtime() - t0;

  PetscCall(SNESDestroy(&snes));
  PetscCall(MatDestroy(&J));
  PetscCall(MCPContextDestroy(&ctx));
  PetscCall(VecDestroy(&U));
  PetscCall(VecDestroy(&F));
  PetscCall(VecDestroy(&XL));
  PetscCall(VecDestroy(&XU));
  PetscFunctionReturn(0);
}
