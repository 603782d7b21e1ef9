#pragma once

/* A market: what a price solver needs to know about an economy.

   Both the distributed agent economy (economy.h) and the classic economies
   over plain goods (classic.h) present themselves as a WalrasMarket, so the
   tâtonnement and the Newton-type solvers (solver.h) run on either. */

#include <walras/sys.h>
#include <petscvec.h>

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
} WalrasMarket;
