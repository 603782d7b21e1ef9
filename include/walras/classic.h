#pragma once

/* Classic test economies over plain goods (MODEL.md section 3, R = 1, K = 1):
   Cobb-Douglas, CES and Leontief consumers with endowments and firm shares,
   and constant-returns activities.  Format of the scenario files
   (runs/classic/): docs/classic.md.  Solvers: docs/solvers.md.

   An economy is small and held whole on every rank: every rank parses the
   same file and raises the same errors.  The evaluation functions below are
   not collective and work on plain arrays; the solvers distribute the
   vectors. */

#include <walras/market.h>
#include <petscsnes.h>

typedef enum {
  WALRAS_CLASSIC_COBB_DOUGLAS = 0,
  WALRAS_CLASSIC_CES          = 1,
  WALRAS_CLASSIC_LEONTIEF     = 2
} WalrasClassicConsumerKind;

PETSC_EXTERN const char *const WalrasClassicConsumerKinds[];

/* How the scale of prices is fixed (demand is homogeneous of degree 0). */
typedef enum {
  WALRAS_CLASSIC_NUMERAIRE_PRICE  = 0, /* price of good 'index' equals value */
  WALRAS_CLASSIC_NUMERAIRE_INCOME = 1, /* income of consumer 'index' equals value */
  WALRAS_CLASSIC_NUMERAIRE_SUM    = 2  /* sum of all prices equals value */
} WalrasClassicNumeraireKind;

typedef struct {
  char                     *name;
  WalrasClassicConsumerKind kind;
  PetscReal                 sigma;      /* CES elasticity of substitution, > 0 */
  PetscReal                *coef;       /* [n_goods]: shares (normalised to sum 1) or Leontief a */
  PetscReal                *endowment;  /* [n_goods], >= 0 */
  PetscReal                *firm_share; /* [n_activities], theta[h][a] in [0, 1] */
} WalrasClassicConsumer;

/* A point of the economy: a start or an equilibrium of the reference. */
typedef struct {
  char      *name;
  PetscReal *prices;   /* [n_goods] */
  PetscReal *activity; /* [n_activities] */
  PetscReal *income;   /* [n_consumers], NULL when the file gives none */
} WalrasClassicPoint;

typedef struct _n_WalrasClassic *WalrasClassic;
struct _n_WalrasClassic {
  char                  *path, *name, *title;
  PetscInt               n_goods, n_consumers, n_activities;
  char                 **good;       /* [n_goods] names */
  char                 **activity;   /* [n_activities] names */
  WalrasClassicConsumer *consumer;   /* [n_consumers] */
  PetscReal             *net_output; /* [n_activities * n_goods]: A[a*n_goods + g], + out, - in */
  struct {
    WalrasClassicNumeraireKind kind;
    PetscInt                   index; /* good or consumer; -1 for the sum */
    PetscReal                  value;
  } numeraire;
  PetscInt            n_starts;
  WalrasClassicPoint *start;
  /* The published or independently computed solution, in the numeraire's
     scale; n_reference = 0 when the file has none. */
  PetscInt            n_reference;
  WalrasClassicPoint *reference;
  char               *reference_kind;   /* "published" or "computed" */
  char               *reference_source; /* where the numbers come from */
  PetscReal           reference_tolerance;
};

/* Reads a classic economy (docs/classic.md).  Not collective; every mistake
   is an input error naming file, line and key.  *eco is owned by the caller
   (WalrasClassicDestroy). */
PETSC_EXTERN PetscErrorCode WalrasClassicLoad(const char *path, WalrasClassic *eco);
/* As WalrasClassicLoad from text in memory; name stands for the file. */
PETSC_EXTERN PetscErrorCode WalrasClassicLoadString(const char *name, const char *text,
                                                    WalrasClassic *eco);
PETSC_EXTERN PetscErrorCode WalrasClassicDestroy(WalrasClassic *eco);

/* Index of a good, activity or consumer by name, -1 when absent. */
PETSC_EXTERN PetscInt WalrasClassicGoodIndex(WalrasClassic eco, const char *name);

/* Incomes m[h] = <p, omega_h> + sum_a theta[h][a] y[a] <A_a, p> at prices
   p[n_goods] and activity levels y[n_activities] (NULL: all 0).  Not
   collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicIncome(WalrasClassic eco, const PetscReal p[],
                                                const PetscReal y[], PetscReal m[]);

/* Demand x[n_goods] of consumer h with income m at prices p (p > 0 on the
   goods h wants).  Not collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicDemand(WalrasClassic eco, PetscInt h, const PetscReal p[],
                                                PetscReal m, PetscReal x[]);

/* Excess demand z = sum_h x_h - omega - A^T y, with the total demand x and
   the incomes m (either may be NULL).  Walras' law <p, z> = 0 holds for
   every p > 0 and every y, because incomes include the activities' profit.
   Not collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicExcessDemand(WalrasClassic eco, const PetscReal p[],
                                                      const PetscReal y[], PetscReal z[],
                                                      PetscReal x[], PetscReal m[]);

/* Lower bounds of the prices, lo[n_goods]: floor for every good that some
   consumer wants, 0 for the others.  Cobb-Douglas and CES demand grows
   without bound as a wanted good's price falls to 0, and Leontief demand is
   0/0 when all the goods of a consumer are free, so such goods are never
   free in equilibrium.  Not collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicPriceFloor(WalrasClassic eco, PetscReal floor,
                                                    PetscReal lo[]);

/* Rescales p (and nothing else: activity levels are real quantities) so
   that the scenario's numeraire holds at activity levels y.  Not
   collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicNormalise(WalrasClassic eco, PetscReal p[],
                                                   const PetscReal y[]);

/* The residual of the complementarity problem in u = (p, y),
   n = n_goods + n_activities unknowns (docs/solvers.md):
     F_g     = -z_g(p, y) + (N(p, y) - v)   0 <= p_g  _|_ F_g     >= 0
     F_{n+a} = -<A_a, p>                    0 <= y_a  _|_ F_{n+a} >= 0
   with N(p, y) = v the numeraire condition (income or sum); with a
   numeraire good j, F_j = p_j - v instead and the other rows carry no
   N - v.  J (row-major n x n, may be NULL) is the analytic Jacobian.  Not
   collective. */
PETSC_EXTERN PetscErrorCode WalrasClassicMCPEvaluate(WalrasClassic eco, const PetscReal u[],
                                                     PetscReal F[], PetscReal J[]);

/* Presents an exchange economy (no activities) as a WalrasMarket on
   PETSC_COMM_WORLD: z = x - omega, scale = x + omega, demand value <p, x>,
   weights 1.  Collective.  The market keeps a reference to eco, which must
   outlive it; free it with WalrasClassicMarketDestroy. */
PETSC_EXTERN PetscErrorCode WalrasClassicMarketCreate(WalrasClassic eco, WalrasMarket *market);
PETSC_EXTERN PetscErrorCode WalrasClassicMarketDestroy(WalrasMarket *market);

/* What one complementarity solve found.  Arrays are in the scenario's order,
   the same on every rank, owned by the result (WalrasClassicResultReset). */
typedef struct {
  PetscReal          *prices;   /* [n_goods], in the numeraire's scale */
  PetscReal          *activity; /* [n_activities] */
  PetscReal          *income;   /* [n_consumers] */
  SNESConvergedReason reason;
  PetscInt            iterations;
  PetscReal           residual;        /* max-norm of the natural residual of the MCP */
  char                worst[96];       /* the good or activity with the largest residual */
  PetscReal           worst_residual;  /* its residual */
  PetscInt            free_goods;      /* goods at p = 0 (at their floor) */
  PetscInt            idle_activities; /* activities at y = 0 */
  PetscReal           seconds;
} WalrasClassicResult;

PETSC_EXTERN PetscErrorCode WalrasClassicResultReset(WalrasClassicResult *result);

/* Collective on PETSC_COMM_WORLD.  Solves the complementarity problem of eco
   with PETSc's SNES (vinewtonssls by default; options prefix -newton_) from
   prices p0[n_goods] and activity levels y0[n_activities] (NULL: 0), and
   fills *result (zero it before the first use).  Non-convergence is a
   reason in result->reason, not an error. */
PETSC_EXTERN PetscErrorCode WalrasClassicSolveMCP(WalrasClassic eco, const PetscReal p0[],
                                                  const PetscReal      y0[],
                                                  WalrasClassicResult *result);
