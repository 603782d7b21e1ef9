/* Walrasian tâtonnement (MODEL.md section 5):

     p_{n+1} = max(eps, p_n + lambda D_n^-1 z(p_n)),  then normalise,

   with a positive diagonal scaling that makes the step relative,
   D_n^-1 = diag(lambda_i p_i / s_i) with s = x + y + omega, so that
   p_i <- p_i (1 + lambda_i z_i / s_i).  Since |z_i| <= s_i, a factor below 1
   keeps every price positive, and a null good (s_i = 0) keeps its price.

   With -tat_adaptive each good adapts its own lambda_i: it grows while the
   good's excess demand keeps its sign and is small (a slow mode: a capacity
   almost used up decays towards its price by a factor 1 - lambda |z_i/s_i|
   per round) and halves when the sign flips.  This helps on some economies
   (the layered test economy: 800 rounds instead of 33,000) and oscillates on
   others (the ChatDev scenario), so the default is the classical process
   with one fixed lambda, whose cycles and divergence the detectors below
   report.

   Every round does the market's own work and exactly one further global
   reduction, which carries Walras' value <p, z>, <p, x>, the normalisation of
   the next prices, the natural residual, the length of the last step and four
   random projections of the prices that the cycle detector watches. */

#include <walras/solver.h>
#include "solvers/solversimpl.h"

#include <math.h>

typedef struct {
  PetscReal lambda, lambda_min, lambda_max, rtol, growth, grow, grow_below;
  PetscInt  max_rounds, stall_window, cycle_window;
  PetscBool monitor, adaptive;
} TatOptions;

enum {
  SUM_PZ,
  SUM_PX,
  SUM_NEXT,
  SUM_PROJ0,
  N_SUMS  = SUM_PROJ0 + 4,
  MAX_RES = N_SUMS,
  MAX_STEP,
  N_SLOTS
};

/* One reduction, two operations: the first N_SUMS slots add, the rest take
   the maximum. */
static void SumThenMax(void *in, void *inout, int *len, MPI_Datatype *type)
{
  const double *a = (const double *)in;
  double       *b = (double *)inout;

  (void)type;
  for (int i = 0; i < *len; i++) {
    int slot = i % N_SLOTS;

    b[i] = slot < N_SUMS ? b[i] + a[i] : (a[i] > b[i] ? a[i] : b[i]);
  }
}

static PetscErrorCode GetOptions(MPI_Comm comm, TatOptions *o)
{
  PetscFunctionBegin;
  o->lambda       = 0.9;
  o->lambda_min   = 1e-4;
  o->lambda_max   = 1e6;
  o->rtol         = 1e-10;
  o->growth       = 1e3;
  o->max_rounds   = 20000;
  o->stall_window = 2000;
  o->cycle_window = 400;
  o->monitor      = PETSC_FALSE;
  o->adaptive     = PETSC_FALSE;
  o->grow         = 1.05;
  o->grow_below   = 0.05;
  PetscOptionsBegin(comm, NULL, "Tatonnement (walras)", NULL);
  PetscCall(PetscOptionsReal("-tat_lambda",
                             "Step: relative price change per unit of relative excess demand "
                             "(initial value when adaptive)",
                             NULL, o->lambda, &o->lambda, NULL));
  PetscCall(PetscOptionsReal("-tat_lambda_min", "Smallest step of a good (adaptive)", NULL,
                             o->lambda_min, &o->lambda_min, NULL));
  PetscCall(PetscOptionsReal("-tat_lambda_max", "Largest step of a good (adaptive)", NULL,
                             o->lambda_max, &o->lambda_max, NULL));
  PetscCall(PetscOptionsReal("-tat_rtol", "Stop when the natural residual is below this", NULL,
                             o->rtol, &o->rtol, NULL));
  PetscCall(
      PetscOptionsInt("-tat_max_rounds", "Round limit", NULL, o->max_rounds, &o->max_rounds, NULL));
  PetscCall(PetscOptionsInt(
      "-tat_stall_window", "Rounds without a halving of the best residual that count as stagnation",
      NULL, o->stall_window, &o->stall_window, NULL));
  PetscCall(PetscOptionsInt("-tat_cycle_window",
                            "Rounds searched back for a return of the prices (cycle detection)",
                            NULL, o->cycle_window, &o->cycle_window, NULL));
  PetscCall(PetscOptionsReal("-tat_growth",
                             "Residual growth over its best value that counts as divergence", NULL,
                             o->growth, &o->growth, NULL));
  PetscCall(PetscOptionsReal(
      "-tat_grow", "Factor by which a good's step grows while its excess demand keeps its sign",
      NULL, o->grow, &o->grow, NULL));
  PetscCall(PetscOptionsReal("-tat_grow_below",
                             "Only goods with |z/s| below this grow their step (slow modes)", NULL,
                             o->grow_below, &o->grow_below, NULL));
  PetscCall(PetscOptionsBool("-tat_adaptive",
                             "Adapt the step of each good to the signs of its excess demand", NULL,
                             o->adaptive, &o->adaptive, NULL));
  PetscCall(PetscOptionsBool("-tat_monitor", "Print one line per round", NULL, o->monitor,
                             &o->monitor, NULL));
  PetscOptionsEnd();
  PetscCheck(o->lambda > 0.0 && o->lambda < 1.0, comm, PETSC_ERR_USER_INPUT,
             "-tat_lambda: expected a step in (0, 1), got %g", (double)o->lambda);
  PetscCheck(o->rtol > 0.0, comm, PETSC_ERR_USER_INPUT,
             "-tat_rtol: expected a tolerance > 0, got %g", (double)o->rtol);
  PetscCheck(o->max_rounds >= 1, comm, PETSC_ERR_USER_INPUT,
             "-tat_max_rounds: expected at least 1, got %" PetscInt_FMT, o->max_rounds);
  PetscCheck(o->stall_window >= 1, comm, PETSC_ERR_USER_INPUT,
             "-tat_stall_window: expected at least 1 round, got %" PetscInt_FMT, o->stall_window);
  PetscCheck(o->cycle_window >= 8, comm, PETSC_ERR_USER_INPUT,
             "-tat_cycle_window: expected at least 8 rounds (cycles are looked for 8 or more "
             "rounds back), got %" PetscInt_FMT,
             o->cycle_window);
  PetscCheck(o->growth > 1.0, comm, PETSC_ERR_USER_INPUT,
             "-tat_growth: expected a factor > 1, got %g", (double)o->growth);
  PetscCheck(o->lambda_min > 0.0 && o->lambda_max >= o->lambda_min, comm, PETSC_ERR_USER_INPUT,
             "-tat_lambda_min, -tat_lambda_max: expected 0 < min <= max, got %g and %g",
             (double)o->lambda_min, (double)o->lambda_max);
  PetscCheck(o->grow >= 1.0 && o->grow_below > 0.0, comm, PETSC_ERR_USER_INPUT,
             "-tat_grow, -tat_grow_below: expected a factor >= 1 and a bound > 0, got %g and %g",
             (double)o->grow, (double)o->grow_below);
  PetscFunctionReturn(0);
}

/* One price step with the good's own lambda.  The factor is kept in
   [0.1, 10] so that no single round moves a price by more than a decade.
   The floor (eps of MODEL.md, 1e-30 of the mean price) stops free goods
   from underflowing to 0, where unit costs of idle intervals would become
   0/0; null goods (s = 0) keep their price. */
static inline PetscReal NextPrice(PetscReal p, PetscReal s, PetscReal zt, PetscReal lambda,
                                  PetscReal floor)
{
  if (s <= 0.0) return p;
  return PetscMax(p * PetscMin(PetscMax(1.0 + lambda * zt, 0.1), 10.0), floor);
}

/* The step of good i: its own (la holds it with a sign) when steps adapt,
   else the one fixed lambda (la = NULL). */
static inline PetscReal Lambda(const TatOptions *o, const PetscReal *la, PetscInt i)
{
  return la ? PetscAbsReal(la[i]) : o->lambda;
}

/* A fixed pseudo-random weight in [-1, 1] for good i and projection j
   (a hash, so that every rank count gives the same projections). */
static PetscReal ProjectionWeight(PetscInt i, int j)
{
  uint64_t h = (uint64_t)i * 0x9E3779B97F4A7C15ULL + (uint64_t)(j + 1) * 0xBF58476D1CE4E5B9ULL;

  h ^= h >> 31;
  h *= 0x94D049BB133111EBULL;
  h ^= h >> 29;
  return (PetscReal)(h >> 11) / (PetscReal)(1ULL << 53) * 2.0 - 1.0;
}

/* Cycle detector: the prices, seen through 4 random projections, come back
   close to where they were at an earlier round j after having moved far from
   it, and the residual made no real progress over that loop. */
typedef struct {
  PetscInt   window, n;
  PetscReal *proj; /* [window][4] ring */
  PetscReal *far;  /* [window] farthest distance reached since that round */
  PetscReal *res;  /* [window] residual at that round */
} CycleDetector;

static PetscBool CycleDetected(CycleDetector *cd, const PetscReal proj[4], PetscReal residual,
                               PetscInt *period)
{
  PetscBool found = PETSC_FALSE;
  PetscInt  lags  = PetscMin(cd->n, cd->window);

  for (PetscInt lag = 1; lag <= lags; lag++) {
    PetscInt   j = (cd->n - lag) % cd->window;
    PetscReal *q = cd->proj + 4 * j, dist = 0.0;

    for (int t = 0; t < 4; t++) dist = PetscMax(dist, PetscAbsReal(proj[t] - q[t]));
    cd->far[j] = PetscMax(cd->far[j], dist);
    if (!found && lag >= 8 && cd->far[j] > 1e-6 && dist < 0.02 * cd->far[j] &&
        residual > 0.95 * cd->res[j]) {
      found   = PETSC_TRUE;
      *period = lag;
    }
  }
  {
    PetscInt j = cd->n % cd->window;

    for (int t = 0; t < 4; t++) cd->proj[4 * j + t] = proj[t];
    cd->far[j] = 0.0;
    cd->res[j] = residual;
  }
  cd->n++;
  return found;
}

/* The worst good by natural residual, named by the rank that owns it. */
static PetscErrorCode WorstGood(WalrasMarket *market, Vec p, Vec z, Vec s, PetscReal W,
                                char *detail, size_t len)
{
  MPI_Comm         comm;
  const PetscReal *pa, *za, *sa;
  PetscInt         n, start;
  struct {
    double value;
    int    rank;
  } mine           = {-1.0, 0}, worst;
  PetscInt    imax = -1;
  PetscMPIInt rank;
  char        name[128] = "";

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetOwnershipRange(p, &start, NULL));
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(VecGetArrayRead(z, &za));
  PetscCall(VecGetArrayRead(s, &sa));
  for (PetscInt i = 0; i < n; i++) {
    PetscReal zt = sa[i] > 0.0 ? za[i] / sa[i] : 0.0, ph = pa[i] * W;
    PetscReal r = PetscAbsReal(ph - PetscMax(0.0, ph + zt));

    if (r > mine.value) {
      mine.value = r;
      imax       = start + i;
    }
  }
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscCall(VecRestoreArrayRead(z, &za));
  PetscCall(VecRestoreArrayRead(s, &sa));
  mine.rank = rank;
  PetscCallMPI(MPI_Allreduce(&mine, &worst, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm));
  if (rank == worst.rank && imax >= 0 && market->good_name)
    PetscCall(market->good_name(market->ctx, imax, name, sizeof(name)));
  PetscCallMPI(MPI_Bcast(name, sizeof(name), MPI_CHAR, worst.rank, comm));
  PetscCall(
      PetscSNPrintf(detail, len, "worst good %s with natural residual %.3e", name, worst.value));
  PetscFunctionReturn(0);
}

/* Stop tests after a round, in order of precedence; returns PETSC_TRUE and
   sets the reason when the solve should stop. */
typedef struct {
  PetscReal best, anchor, step_anchor;
  PetscInt  best_round, step_round, period;
  PetscReal scale; /* step control: multiplies every lambda_i */
  PetscInt  last_cut;
} Progress;

static PetscBool ShouldStop(const TatOptions *o, Progress *pr, CycleDetector *cd, PetscInt round,
                            PetscReal residual, PetscReal step, const PetscReal proj[4],
                            WalrasStopReason *reason)
{
  if (residual < o->rtol) {
    *reason = WALRAS_STOP_CONVERGED;
    return PETSC_TRUE;
  }
  /* Progress means halving the residual of the last anchor round; the
     best value alone (for the growth test) may creep down without that. */
  if (residual < 0.5 * pr->anchor) {
    pr->anchor     = residual;
    pr->best_round = round;
  }
  if (residual < pr->best) pr->best = residual;
  /* Steps that keep shrinking are progress too: a price sliding towards 0
     leaves the residual at |z/s| until it gets there. */
  if (round >= 2 && step < 0.5 * pr->step_anchor) {
    pr->step_anchor = step;
    pr->step_round  = round;
  }
  /* Step control: a residual well above its best means a mode the step
     makes unstable; halve every step and start the comparison afresh.  Only
     when the step cannot shrink further is it divergence. */
  if (round > 10 && residual > 100.0 * pr->best && round - pr->last_cut > 10) {
    if (pr->scale * o->lambda > o->lambda_min) {
      pr->scale *= 0.5;
      pr->last_cut   = round;
      pr->best       = residual;
      pr->anchor     = residual;
      pr->best_round = round;
    }
  }
  if (round > 10 && residual > o->growth * pr->best) {
    *reason = WALRAS_STOP_GROWTH;
    return PETSC_TRUE;
  }
  if (CycleDetected(cd, proj, residual, &pr->period)) {
    *reason = WALRAS_STOP_CYCLE;
    return PETSC_TRUE;
  }
  if (round - pr->best_round >= o->stall_window && round - pr->step_round >= o->stall_window) {
    *reason = WALRAS_STOP_STAGNATION;
    return PETSC_TRUE;
  }
  if (round >= o->max_rounds) {
    *reason = WALRAS_STOP_MAX_ROUNDS;
    return PETSC_TRUE;
  }
  return PETSC_FALSE;
}

/* kappa: the largest ratio of successive step lengths over the last rounds,
   an estimate of the contraction factor; the observed rate is the
   residual's own geometric mean ratio over the same rounds. */
static void Rates(WalrasSolveReport *report)
{
  PetscInt n = report->n_history, m = PetscMin(10, n - 1);

  report->kappa         = NAN;
  report->observed_rate = NAN;
  for (PetscInt i = n - m; i < n; i++) {
    PetscReal k = report->history_kappa[i];

    if (!PetscIsNanReal(k))
      report->kappa = PetscIsNanReal(report->kappa) ? k : PetscMax(report->kappa, k);
  }
  if (m > 0) {
    PetscReal a = report->history_residual[n - 1 - m], b = report->history_residual[n - 1];

    if (a > 0.0 && b > 0.0) report->observed_rate = PetscPowReal(b / a, 1.0 / m);
  }
}

/* The tâtonnement with options o; collective. */
static PetscErrorCode Tatonnement(WalrasMarket *market, Vec p, WalrasSolveReport *report,
                                  TatOptions o)
{
  MPI_Comm      comm;
  Vec           z, s, lam;
  PetscReal     W, last_step = NAN, step_local = 0.0;
  PetscBool     non_finite = PETSC_FALSE;
  PetscInt      n, start;
  MPI_Op        op;
  CycleDetector cd;
  Progress      pr = {PETSC_MAX_REAL, PETSC_MAX_REAL, PETSC_MAX_REAL, 0, 0, 0, 1.0, 0};
  double        t0 = MPI_Wtime();

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(WalrasSolveReportReset(report));
  PetscCall(PetscStrncpy(report->solver, "tatonnement", sizeof(report->solver)));
  PetscCall(VecDuplicate(p, &z));
  PetscCall(VecDuplicate(p, &s));
  /* Per-good steps only when they adapt: the fixed step needs no vector. */
  lam = NULL;
  if (o.adaptive) {
    PetscCall(VecDuplicate(p, &lam));
    PetscCall(VecSet(lam, o.lambda));
  }
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetOwnershipRange(p, &start, NULL));
  PetscCallMPI(MPI_Op_create(SumThenMax, 1, &op));
  cd.window = o.cycle_window;
  cd.n      = 0;
  PetscCall(PetscCalloc3(4 * cd.window, &cd.proj, cd.window, &cd.far, cd.window, &cd.res));

  /* W = <1, 1>: prices are reported relative to their weighted mean, p * W,
     so the residual is free of the normalisation's scale. */
  PetscCall(WalrasMarketTotalWeight(market, &W));
  {
    PetscReal total;

    PetscCall(WalrasMarketDot(market, p, NULL, &total));
    PetscCheck(total > 0.0, comm, PETSC_ERR_ARG_WRONG,
               "tatonnement: starting prices must have <p, 1> > 0");
    PetscCall(VecScale(p, 1.0 / total));
  }

  for (PetscInt round = 0;; round++) {
    PetscReal         *pa, *la = NULL, buf[N_SLOTS] = {0}, residual, walras, step, kappa;
    const PetscReal   *za, *sa;
    WalrasWeightCursor wc = WalrasMarketWeights(market, start);

    PetscCall(market->evaluate(market->ctx, p, z, s, NULL));
    report->evaluations++;

    /* One pass: Walras' sums, residual, projections, per-good steps and the
       weight of the next prices. */
    PetscCall(VecGetArray(p, &pa));
    if (lam) PetscCall(VecGetArray(lam, &la));
    PetscCall(VecGetArrayRead(s, &sa));
    PetscCall(VecGetArrayRead(z, &za));
    for (PetscInt i = 0; i < n; i++) {
      PetscReal zt = sa[i] > 0.0 ? za[i] / sa[i] : 0.0, ph = pa[i] * W, w = WalrasWeightNext(&wc);

      buf[SUM_PZ] += w * pa[i] * za[i];
      buf[SUM_PX] += w * pa[i] * 0.5 * (sa[i] + za[i]);
      buf[MAX_RES] = PetscMax(buf[MAX_RES], PetscAbsReal(ph - PetscMax(0.0, ph + zt)));
      for (int t = 0; t < 4; t++) buf[SUM_PROJ0 + t] += ProjectionWeight(start + i, t) * ph;

      /* la holds lambda_i with the sign of the good's last excess demand. */
      if (o.adaptive && zt != 0.0) {
        PetscReal mag = PetscAbsReal(la[i]);

        if ((zt > 0.0) == (la[i] > 0.0)) {
          if (PetscAbsReal(zt) < o.grow_below) mag = PetscMin(o.grow * mag, o.lambda_max);
        } else
          mag = PetscMax(0.5 * mag, o.lambda_min);
        la[i] = zt > 0.0 ? mag : -mag;
      }
      buf[SUM_NEXT] += w * NextPrice(pa[i], sa[i], zt, pr.scale * Lambda(&o, la, i), 1e-30 / W);
    }
    buf[MAX_STEP] = step_local;
    PetscCall(VecRestoreArrayRead(z, &za));
    PetscCall(VecRestoreArrayRead(s, &sa));
    if (lam) PetscCall(VecRestoreArray(lam, &la));
    PetscCall(VecRestoreArray(p, &pa));
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, buf, N_SLOTS, MPI_DOUBLE, op, comm));

    residual = buf[MAX_RES];
    walras =
        buf[SUM_PX] > 0.0 ? PetscAbsReal(buf[SUM_PZ]) / buf[SUM_PX] : PetscAbsReal(buf[SUM_PZ]);
    step  = buf[MAX_STEP];
    kappa = (round >= 2 && last_step > 0.0) ? step / last_step : NAN;

    /* A non-finite excess demand is the economy's arithmetic overflowing
       (e.g. C^(1 - sigma) for a large routing elasticity), not a broken
       identity: a failed solve with its reason, at the last finite prices. */
    if (!isfinite(buf[SUM_PZ]) || !isfinite(buf[SUM_PX]) || !isfinite(residual)) {
      report->rounds   = round;
      report->residual = residual;
      report->walras   = walras;
      report->reason   = WALRAS_STOP_SOLVER_FAILED;
      non_finite       = PETSC_TRUE;
      break;
    }
    PetscCheck(walras <= 1e-10, comm, PETSC_ERR_PLIB,
               "round %" PetscInt_FMT
               ": Walras' law fails: |<p, z>| = %.3e is %.3e of <p, x> = %.3e (allowed 1e-10); "
               "the excess demand is computed wrongly",
               round, PetscAbsReal(buf[SUM_PZ]), walras, buf[SUM_PX]);
    PetscCall(WalrasSolveReportPush(report, residual, walras, kappa));
    if (o.monitor)
      PetscCall(PetscPrintf(
          comm, "  tat round %5" PetscInt_FMT "  residual %.3e  walras %.1e  kappa %6.4f\n", round,
          residual, walras, kappa));
    report->rounds   = round;
    report->residual = residual;
    report->walras   = walras;
    if (ShouldStop(&o, &pr, &cd, round, residual, step, buf + SUM_PROJ0, &report->reason)) break;
    last_step = step;

    /* Next prices, normalised so <p, 1> = 1; the step length goes into the
       next round's reduction. */
    PetscCall(VecGetArray(p, &pa));
    if (lam) PetscCall(VecGetArrayRead(lam, (const PetscReal **)&la));
    PetscCall(VecGetArrayRead(s, &sa));
    PetscCall(VecGetArrayRead(z, &za));
    step_local = 0.0;
    for (PetscInt i = 0; i < n; i++) {
      PetscReal zt = sa[i] > 0.0 ? za[i] / sa[i] : 0.0, next;

      next = NextPrice(pa[i], sa[i], zt, pr.scale * Lambda(&o, la, i), 1e-30 / W) / buf[SUM_NEXT];
      step_local = PetscMax(step_local, PetscAbsReal(next - pa[i]) * W);
      pa[i]      = next;
    }
    PetscCall(VecRestoreArrayRead(z, &za));
    PetscCall(VecRestoreArrayRead(s, &sa));
    if (lam) PetscCall(VecRestoreArrayRead(lam, (const PetscReal **)&la));
    PetscCall(VecRestoreArray(p, &pa));
  }

  Rates(report);
  if (non_finite) {
    PetscCall(PetscSNPrintf(report->detail, sizeof(report->detail),
                            "round %" PetscInt_FMT
                            ": the excess demand is not a finite number (an overflow in the "
                            "economy's evaluation; a large routing elasticity sigma takes the CES "
                            "aggregates C^(1 - sigma) out of double range)",
                            report->rounds));
    report->seconds = MPI_Wtime() - t0;
  } else
    PetscCall(WorstGood(market, p, z, s, W, report->detail, sizeof(report->detail)));
  if (report->reason == WALRAS_STOP_CYCLE) {
    char more[sizeof(report->detail)];

    PetscCall(PetscSNPrintf(more, sizeof(more),
                            "prices returned to where they were %" PetscInt_FMT
                            " rounds earlier; %s",
                            pr.period, report->detail));
    PetscCall(PetscStrncpy(report->detail, more, sizeof(report->detail)));
  }
  report->seconds = MPI_Wtime() - t0;

  PetscCall(PetscFree3(cd.proj, cd.far, cd.res));
  PetscCallMPI(MPI_Op_free(&op));
  PetscCall(VecDestroy(&z));
  PetscCall(VecDestroy(&s));
  PetscCall(VecDestroy(&lam));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasSolveTatonnement(WalrasMarket *market, Vec p, WalrasSolveReport *report)
{
  MPI_Comm   comm;
  TatOptions o;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(GetOptions(comm, &o));
  PetscCall(Tatonnement(market, p, report, o));
  PetscFunctionReturn(0);
}

/* The plain tâtonnement (fixed step, the -tat_* options otherwise) until
   the natural residual is below rtol or max_rounds have passed: Newton's
   warm start (newton_market.c). */
PetscErrorCode WalrasSolveTatonnementWarm(WalrasMarket *market, Vec p, WalrasSolveReport *report,
                                          PetscInt max_rounds, PetscReal rtol)
{
  MPI_Comm   comm;
  TatOptions o;

  PetscFunctionBegin;
  PetscCall(PetscObjectGetComm((PetscObject)p, &comm));
  PetscCall(GetOptions(comm, &o));
  o.max_rounds = max_rounds;
  o.rtol       = rtol;
  o.adaptive   = PETSC_FALSE;
  o.monitor    = PETSC_FALSE;
  PetscCall(Tatonnement(market, p, report, o));
  PetscFunctionReturn(0);
}
