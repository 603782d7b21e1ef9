#pragma once

/* A market: what a price solver needs to know about an economy.

   Both the distributed agent economy (economy.h) and the classic economies
   over plain goods (classic.h) present themselves as a WalrasMarket, so the
   tâtonnement and the Newton-type solvers (solver.h) run on either. */

#include <walras/sys.h>
#include <petscmat.h>

typedef struct {
  void *ctx;

  /* Layout of the price vector (every Vec passed below has it). */
  Vec layout;

  /* Inner-product weights w > 0: <u, v> = sum_i w_i u_i v_i (dt[k] for agent
     goods, 1 for plain goods). */
  Vec weight;

  /* Collective.  At prices p >= 0 computes the excess demand
     z = x - y - omega, a per-good scale s = x + y + omega >= 0 (for the
     relative steps and the natural residual of MODEL.md section 4), and
     *demand_value = <p, x> (Walras' law is checked relative to it).
     Any output may be NULL when not wanted. */
  PetscErrorCode (*evaluate)(void *ctx, Vec p, Vec z, Vec scale, PetscReal *demand_value);

  /* Not collective.  A person-readable name of global good i
     (e.g. "Coding/decode/k=12"). */
  PetscErrorCode (*good_name)(void *ctx, PetscInt i, char *name, size_t len);

  /* Optional (NULL when the market has no derivatives).  Collective.  The
     directional derivative dz = z'(p) dp of the excess demand at p >= 0
     (a tangent sweep: exact, no finite differences).  p, dp, dz have the
     layout of the market; dz may not alias p or dp. */
  PetscErrorCode (*jacobian_action)(void *ctx, Vec p, Vec dp, Vec dz);

  /* Optional.  Collective.  Assembles the Jacobian at p >= 0 of the excess
     demand per unit of expenditure,

       zeta(p) = x(p) / <p, x(p)>_w - y(p) - omega,

     into *J.  The market creates *J on the first call (*J == NULL) with the
     layout of the market and its own nonzero pattern, and refills it on
     later calls; the caller destroys it.  zeta differs from z only in the
     scale of demand, so 0 <= p _|_ -zeta(p) >= 0 has the same solutions as
     the market's problem, normalised to <p, x>_w = 1 (docs/solvers.md).
     The agent economy's zeta' is block diagonal over the intervals: demand
     at a fixed income does not couple intervals. */
  PetscErrorCode (*jacobian_unit_income)(void *ctx, Vec p, Mat *J);
} WalrasMarket;
