/* Derivatives of the agent economy: a tangent (forward-mode) sweep through
   the same steps as the evaluation (economy_eval.c, routing.c), reusing the
   values the evaluation left behind.

   Along a price direction dp:

     supply, frontier  dy_r = y_r (e - 1) (dp_r / p_r - sum_j v_j dp_j / p_j),
                       v_j = q_j^e / S  (per agent and interval; e = gamma / (gamma - 1))
     profit            dpi = <dp, y>_dt  (envelope theorem: y maximises <p, y>)
     backward          dC_a = sum_r dp_ar d_ar + dChat_a,
                       dChat_a = sum_b f_ab dC_b  with f_ab = w_ab^sigma (Chat_a / C_b)^sigma
                       (the routing share is also the derivative of the CES aggregate)
     consumer          dC_0h = sum_entries of h f_0b dC_b,  dn_h = n_h (dm / m - dC_0h / C_0h)
                       (m_h = theta_h m, so dm_h / m_h = dm / m)
     forward           dG_ab = dG_a f_ab + G_a f_ab sigma (dChat_a / Chat_a - dC_b / C_b)
     excess demand     dz = dG_a d_ar - dy.

   One sweep costs about one evaluation without the powers, and exchanges the
   same messages (the tangent costs and flows of cut edges) plus one
   reduction of H*K + 1 numbers.  With the income held fixed (dm = 0) nothing
   couples the intervals, which is what makes the Jacobian of demand per
   unit of income block diagonal over the intervals. */

#include "core/economyimpl.h"

#include <petscmat.h>

static PetscErrorCode TangentSetUp(WalrasEconomy ec)
{
  PetscFunctionBegin;
  if (ec->dcost) PetscFunctionReturn(0);
  PetscCall(PetscCalloc4((ec->nlocal + ec->nghost) * ec->K + 1, &ec->dcost, ec->nlocal * ec->K + 1,
                         &ec->dcost_next, (ec->nlocal + ec->nghost) * ec->K + 1, &ec->dinflow,
                         ec->nlocal * ec->bs + 1, &ec->dsupply));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyTangentDestroy(WalrasEconomy ec)
{
  PetscFunctionBegin;
  PetscCall(PetscFree4(ec->dcost, ec->dcost_next, ec->dinflow, ec->dsupply));
  PetscFunctionReturn(0);
}

/* dy of one frontier agent at one interval; returns <dp, y> (times dt
   outside).  At an interval where all the agent's prices are 0 the supply is
   the constant symmetric point, so dy = 0. */
static PetscReal FrontierTangent(PetscInt R, PetscInt K, PetscInt k, PetscReal gamma,
                                 const PetscReal p[], const PetscReal dp[], const PetscReal cap[],
                                 const PetscReal y[], PetscReal dy[])
{
  const PetscReal e    = gamma / (gamma - 1.0);
  PetscReal       qmax = 0.0, S = 0.0, mean = 0.0, dprofit = 0.0;

  for (PetscInt r = 0; r < R; r++) {
    qmax = PetscMax(qmax, p[r * K + k] * cap[r * K + k]);
    dprofit += dp[r * K + k] * y[r * K + k];
    dy[r * K + k] = 0.0;
  }
  if (qmax <= 0.0) return dprofit;
  for (PetscInt r = 0; r < R; r++) {
    PetscReal q = p[r * K + k] * cap[r * K + k] / qmax, v = PetscPowReal(q, e);

    S += v;
    if (p[r * K + k] > 0.0) mean += v * dp[r * K + k] / p[r * K + k];
  }
  mean /= S;
  for (PetscInt r = 0; r < R; r++)
    if (p[r * K + k] > 0.0)
      dy[r * K + k] = y[r * K + k] * (e - 1.0) * (dp[r * K + k] / p[r * K + k] - mean);
  return dprofit;
}

/* Tangent of supply; returns the local part of dm = sum_a dpi_a. */
static PetscErrorCode SupplyTangent(WalrasEconomy ec, const PetscReal *p, const PetscReal *dp,
                                    PetscReal *dm_local)
{
  const PetscReal *y;
  PetscReal        dm = 0.0;

  PetscFunctionBegin;
  PetscCall(VecGetArrayRead(ec->y, &y));
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    PetscInt o = i * ec->bs;

    for (PetscInt k = 0; k < ec->K; k++) {
      PetscReal dprofit = 0.0;

      if (ec->kind[i] == WALRAS_FIRM_FRONTIER)
        dprofit = FrontierTangent(ec->R, ec->K, k, ec->gamma[i], p + o, dp + o, ec->cap + o, y + o,
                                  ec->dsupply + o);
      else
        for (PetscInt r = 0; r < ec->R; r++) {
          dprofit += dp[o + r * ec->K + k] * y[o + r * ec->K + k];
          ec->dsupply[o + r * ec->K + k] = 0.0;
        }
      dm += ec->dt[k] * dprofit;
    }
  }
  PetscCall(VecRestoreArrayRead(ec->y, &y));
  *dm_local = dm;
  PetscFunctionReturn(0);
}

/* Relative change sigma (da / a - db / b) of a share a^sigma / b^sigma;
   0 where the share is the weight alone (a free successor). */
static inline PetscReal ShareRate(PetscReal sigma, PetscReal a, PetscReal da, PetscReal b,
                                  PetscReal db)
{
  if (a <= 0.0 || b <= 0.0) return 0.0;
  return sigma * (da / a - db / b);
}

static PetscErrorCode BackwardTangent(WalrasEconomy ec, const PetscReal *dp)
{
  const PetscInt K = ec->K, R = ec->R, bs = ec->bs;

  PetscFunctionBegin;
  for (PetscInt h = 0; h < ec->levels; h++) {
    for (PetscInt j = ec->level_start[h]; j < ec->level_start[h + 1]; j++) {
      PetscInt i = ec->by_height[j];

      for (PetscInt k = 0; k < K; k++) {
        PetscReal own = 0.0, next = 0.0;

        for (PetscInt r = 0; r < R; r++) own += dp[i * bs + r * K + k] * ec->d[i * R + r];
        for (PetscInt m = ec->succ_start[i]; m < ec->succ_start[i + 1]; m++) {
          PetscInt slot = ec->succ_slot[m];

          next += WalrasSplitFactor(ec->sigma, ec->succ_weight[m], ec->cost_next[i * K + k],
                                    ec->cost[slot * K + k]) *
                  ec->dcost[slot * K + k];
        }
        ec->dcost_next[i * K + k] = next;
        ec->dcost[i * K + k]      = own + next;
      }
    }
    PetscCall(PetscSFBcastBegin(ec->sf_level[h], ec->unit, ec->dcost, ec->dcost + ec->nlocal * K,
                                MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(ec->sf_level[h], ec->unit, ec->dcost, ec->dcost + ec->nlocal * K,
                              MPI_REPLACE));
  }
  PetscFunctionReturn(0);
}

/* dC_0h and dm in one reduction; then dn_h[k] (into dn, [H*K]). */
static PetscErrorCode ConsumerTangent(WalrasEconomy ec, PetscReal dm_local, PetscBool fixed_income,
                                      PetscReal *dn, PetscReal *dunit)
{
  const PetscInt K = ec->K, HK = ec->H * ec->K;
  PetscReal     *buf, m        = ec->state.income;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(HK + 1, &buf));
  for (PetscInt e = 0; e < ec->n_entry; e++) {
    PetscInt b = ec->entry_local[e], o = ec->entry_tenant[e] * K;

    for (PetscInt k = 0; k < K; k++)
      buf[o + k] += WalrasSplitFactor(ec->sigma, ec->entry_weight[e], ec->unit_cost[o + k],
                                      ec->cost[b * K + k]) *
                    ec->dcost[b * K + k];
  }
  buf[HK] = dm_local;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, buf, (PetscMPIInt)(HK + 1), MPIU_REAL, MPI_SUM, ec->comm));
  for (PetscInt i = 0; i < HK; i++) {
    PetscReal rate = ec->unit_cost[i] > 0.0 ? -buf[i] / ec->unit_cost[i] : 0.0;

    if (!fixed_income && m > 0.0) rate += buf[HK] / m;
    dunit[i] = buf[i];
    dn[i]    = ec->tasks[i] * rate;
  }
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode ForwardTangent(WalrasEconomy ec, const PetscReal *dn, const PetscReal *dunit)
{
  const PetscInt K = ec->K;

  PetscFunctionBegin;
  PetscCall(PetscArrayzero(ec->dinflow, (ec->nlocal + ec->nghost) * K));
  for (PetscInt e = 0; e < ec->n_entry; e++) {
    PetscInt b = ec->entry_local[e], o = ec->entry_tenant[e] * K;

    for (PetscInt k = 0; k < K; k++) {
      PetscReal c = ec->cost[b * K + k], dc = ec->dcost[b * K + k];
      PetscReal f = WalrasSplitFactor(ec->sigma, ec->entry_weight[e], ec->unit_cost[o + k], c);

      ec->dinflow[b * K + k] +=
          f * (dn[o + k] +
               ec->tasks[o + k] * ShareRate(ec->sigma, ec->unit_cost[o + k], dunit[o + k], c, dc));
    }
  }

  /* Same order and exchanges as WalrasRoutingForward. */
  for (PetscInt h = ec->levels - 1; h >= 0; h--) {
    PetscCall(PetscSFReduceBegin(ec->sf_level[h], ec->unit, ec->dinflow + ec->nlocal * K,
                                 ec->dinflow, MPI_SUM));
    PetscCall(PetscSFReduceEnd(ec->sf_level[h], ec->unit, ec->dinflow + ec->nlocal * K, ec->dinflow,
                               MPI_SUM));
    for (PetscInt j = ec->level_start[h]; j < ec->level_start[h + 1]; j++) {
      PetscInt i = ec->by_height[j];

      for (PetscInt m = ec->succ_start[i]; m < ec->succ_start[i + 1]; m++) {
        PetscInt slot = ec->succ_slot[m];

        for (PetscInt k = 0; k < K; k++) {
          PetscReal chat = ec->cost_next[i * K + k], c = ec->cost[slot * K + k];
          PetscReal f = WalrasSplitFactor(ec->sigma, ec->succ_weight[m], chat, c);
          PetscReal rate =
              ShareRate(ec->sigma, chat, ec->dcost_next[i * K + k], c, ec->dcost[slot * K + k]);

          ec->dinflow[slot * K + k] += f * (ec->dinflow[i * K + k] + ec->inflow[i * K + k] * rate);
        }
      }
    }
  }
  PetscFunctionReturn(0);
}

/* The tangent at the prices of the last evaluation: dz = z'(p) dp, or with
   fixed_income the derivative of demand per unit of income minus supply,
   d(x / m - y).  dp and dz are local arrays of the market's layout. */
static PetscErrorCode Tangent(WalrasEconomy ec, const PetscReal *dp, PetscBool fixed_income,
                              PetscReal *dz)
{
  const PetscInt   K = ec->K, R = ec->R, bs = ec->bs;
  const PetscReal *p;
  PetscReal        dm_local = 0.0, *dn, *dunit, scale = 1.0;

  PetscFunctionBegin;
  PetscCall(TangentSetUp(ec));
  PetscCall(PetscMalloc2(ec->H * K, &dn, ec->H * K, &dunit));
  PetscCall(VecGetArrayRead(ec->p_last, &p));
  PetscCall(SupplyTangent(ec, p, dp, &dm_local));
  PetscCall(VecRestoreArrayRead(ec->p_last, &p));
  PetscCall(BackwardTangent(ec, dp));
  PetscCall(ConsumerTangent(ec, dm_local, fixed_income, dn, dunit));
  PetscCall(ForwardTangent(ec, dn, dunit));
  if (fixed_income && ec->state.income > 0.0) scale = 1.0 / ec->state.income;
  for (PetscInt i = 0; i < ec->nlocal; i++)
    for (PetscInt r = 0; r < R; r++)
      for (PetscInt k = 0; k < K; k++) {
        PetscInt g = i * bs + r * K + k;

        dz[g] = scale * ec->dinflow[i * K + k] * ec->d[i * R + r] - ec->dsupply[g];
      }
  PetscCall(PetscFree2(dn, dunit));
  PetscFunctionReturn(0);
}

/* The sweeps reuse the values of the last evaluation: evaluate first unless
   the economy was last evaluated at p. */
static PetscErrorCode EnsureEvaluated(WalrasEconomy ec, Vec p)
{
  PetscBool same;

  PetscFunctionBegin;
  PetscCall(VecEqual(p, ec->p_last, &same));
  if (!same || !ec->state.prices) PetscCall(WalrasEconomyEvaluate(ec, p, NULL));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyJacobianAction(void *ctx, Vec p, Vec dp, Vec dz)
{
  WalrasEconomy    ec = (WalrasEconomy)ctx;
  const PetscReal *dpa;
  PetscReal       *dza;

  PetscFunctionBegin;
  PetscCall(EnsureEvaluated(ec, p));
  PetscCall(VecGetArrayRead(dp, &dpa));
  PetscCall(VecGetArray(dz, &dza));
  PetscCall(Tangent(ec, dpa, PETSC_FALSE, dza));
  PetscCall(VecRestoreArray(dz, &dza));
  PetscCall(VecRestoreArrayRead(dp, &dpa));
  PetscFunctionReturn(0);
}

/* The Jacobian of x / m - y, one column per (interval, good of an interval)
   pair found by colouring: a good's column is nonzero only in the rows of
   its own interval, so one sweep along the direction that moves good c of
   every interval at once yields K columns.  A*R sweeps in all: fine for
   hundreds of agents, not for millions (the rows are dense within an
   interval, A*R nonzeros each). */
PetscErrorCode WalrasEconomyJacobianUnitIncome(void *ctx, Vec p, Mat *J)
{
  WalrasEconomy  ec = (WalrasEconomy)ctx;
  const PetscInt K = ec->K, R = ec->R, bs = ec->bs, n = ec->nlocal * bs, colours = ec->A * R;
  PetscReal     *dp, *dz, *row;
  PetscInt      *cols;

  PetscFunctionBegin;
  if (!*J) {
    PetscCall(MatCreateAIJ(ec->comm, n, n, PETSC_DETERMINE, PETSC_DETERMINE, ec->nlocal * R, NULL,
                           (ec->A - ec->nlocal) * R, NULL, J));
    PetscCall(MatSetOption(*J, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE));
  }
  PetscCall(EnsureEvaluated(ec, p));
  PetscCall(PetscCalloc2(n + 1, &dp, (size_t)colours * n + 1, &dz));

  /* Good (a, r, k) has global index ((astart + i) R + r) K + k: colour c is
     the global pair a R + r, the interval is the remainder. */
  for (PetscInt c = 0; c < colours; c++) {
    PetscInt first = c * K - ec->astart * bs;

    for (PetscInt k = 0; k < K; k++)
      if (first + k >= 0 && first + k < n) dp[first + k] = 1.0;
    PetscCall(Tangent(ec, dp, PETSC_TRUE, dz + (size_t)c * n));
    for (PetscInt k = 0; k < K; k++)
      if (first + k >= 0 && first + k < n) dp[first + k] = 0.0;
  }

  /* Row g holds the colours' values at g, in the columns of its interval. */
  PetscCall(PetscMalloc2(colours + 1, &row, colours + 1, &cols));
  for (PetscInt g = 0; g < n; g++) {
    PetscInt grow = ec->astart * bs + g;

    for (PetscInt c = 0; c < colours; c++) {
      row[c]  = dz[(size_t)c * n + g];
      cols[c] = c * K + g % K;
    }
    PetscCall(MatSetValues(*J, 1, &grow, colours, cols, row, INSERT_VALUES));
  }
  PetscCall(MatAssemblyBegin(*J, MAT_FINAL_ASSEMBLY));
  PetscCall(MatAssemblyEnd(*J, MAT_FINAL_ASSEMBLY));
  PetscCall(PetscFree2(row, cols));
  PetscCall(PetscFree2(dp, dz));
  PetscFunctionReturn(0);
}
