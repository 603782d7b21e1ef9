#pragma once

/* Price solvers on a WalrasMarket (market.h): the tâtonnement of MODEL.md
   section 5 and Newton-type complementarity solvers.  Docs: docs/solvers.md. */

#include <walras/market.h>

/* Why a solve stopped.  Non-convergence is a reason, never an error; a
   violation of Walras' law is an error (it means the code is wrong). */
typedef enum {
  WALRAS_STOP_CONVERGED = 0, /* natural residual below the tolerance */
  WALRAS_STOP_MAX_ROUNDS,    /* round limit reached while still improving */
  WALRAS_STOP_GROWTH,        /* the residual grew far above its best value */
  WALRAS_STOP_CYCLE,         /* the prices came back near an earlier point */
  WALRAS_STOP_STAGNATION,    /* no progress over a window of rounds */
  WALRAS_STOP_SOLVER_FAILED  /* a Newton-type solver gave up (its reason in detail) */
} WalrasStopReason;

PETSC_EXTERN const char *const WalrasStopReasons[];

/* What a solve did, round by round.  The history arrays are the same on every
   rank; the report owns them (WalrasSolveReportReset frees them). */
typedef struct {
  char             solver[32];
  WalrasStopReason reason;
  char             detail[256]; /* one sentence for the log, e.g. the worst good */
  PetscInt         rounds;
  PetscReal        residual;      /* natural residual at the end */
  PetscReal        walras;        /* |<p, z>| / <p, x> at the end */
  PetscReal        kappa;         /* estimated contraction factor (NaN if unknown) */
  PetscReal        observed_rate; /* geometric mean residual ratio over the last rounds */
  PetscReal        seconds;
  PetscInt         evaluations; /* calls of the market's evaluate */
  PetscInt         jacobians;   /* Jacobians assembled (Newton with the market's derivatives) */
  PetscInt         n_history, cap_history;
  PetscReal       *history_residual, *history_walras, *history_kappa;
} WalrasSolveReport;

PETSC_EXTERN PetscErrorCode WalrasSolveReportReset(WalrasSolveReport *report);

/* Collective.  Finds an equilibrium of market starting from p (normalised on
   entry), leaving it in p.  The solver is chosen with -walras_solver
   (tatonnement by default); each solver reads its own options. */
PETSC_EXTERN PetscErrorCode WalrasSolve(WalrasMarket *market, Vec p, WalrasSolveReport *report);

/* Appends one round (natural residual, relative Walras value, contraction
   estimate or NaN) to the report's history.  Not collective. */
PETSC_EXTERN PetscErrorCode WalrasSolveReportPush(WalrasSolveReport *report, PetscReal residual,
                                                  PetscReal walras, PetscReal kappa);

/* The tâtonnement of MODEL.md section 5 (options -tat_*). Collective. */
PETSC_EXTERN PetscErrorCode WalrasSolveTatonnement(WalrasMarket *market, Vec p,
                                                   WalrasSolveReport *report);

/* Collective.  Newton's method for the complementarity problem
   0 <= p _|_ -z(p) >= 0 of market (PETSc SNES vinewtonssls, options prefix
   -newton_).  With the market's jacobian_unit_income it solves the
   expenditure-normalised problem with that assembled Jacobian and a sparse
   LU; otherwise the residual carries the normalisation <p, 1>_w = 1 and the
   Jacobian is a dense finite-difference one (small markets only).  Starts
   from p and leaves the equilibrium, normalised to <p, 1>_w = 1, in p.
   Fills *report (history: one entry per iteration) and raises an error when
   Walras' law fails.  WalrasSolve dispatches -walras_solver newton here.
   Docs: docs/solvers.md. */
PETSC_EXTERN PetscErrorCode WalrasSolveNewton(WalrasMarket *market, Vec p,
                                              WalrasSolveReport *report);

/* Anderson mixing and nonlinear GMRES (PETSc SNES anderson, ngmres) on the
   tâtonnement's fixed point p = T(p): the same step as the tâtonnement,
   accelerated.  Options: -tat_* for the step and tolerance, SNES options
   with prefix -accel_.  Collective. */
PETSC_EXTERN PetscErrorCode WalrasSolveAnderson(WalrasMarket *market, Vec p,
                                                WalrasSolveReport *report);
PETSC_EXTERN PetscErrorCode WalrasSolveNGMRES(WalrasMarket *market, Vec p,
                                              WalrasSolveReport *report);
