/* The orchestrator's nested-CES routing over the agent DAG (MODEL.md
   section 3): a backward sweep of unit costs from the exits and a forward
   sweep of task flows from the entries, level by level, exchanging the
   values of cut edges with the star forest of each level. */

#include "core/economyimpl.h"

/* Chat = (sum_b w_b^sigma C_b^(1-sigma))^(1/(1-sigma)), or at sigma = 1 the
   limit prod_b (C_b / w_b)^w_b.  weight[] holds w^sigma (w at sigma = 1).
   The powers are taken of C_b / C_ref, with C_ref the largest C_b when the
   exponent is positive and the smallest otherwise, so no term overflows. */
static PetscReal CESAggregate(PetscReal sigma, PetscInt n, const PetscReal weight[],
                              const PetscInt slot[], const PetscReal cost[], PetscInt K, PetscInt k)
{
  PetscReal ref, sum = 0.0;

  if (sigma == 1.0) {
    for (PetscInt j = 0; j < n; j++)
      sum += weight[j] * PetscLogReal(cost[slot[j] * K + k] / weight[j]);
    return PetscExpReal(sum);
  }
  ref = cost[slot[0] * K + k];
  for (PetscInt j = 1; j < n; j++) {
    PetscReal c = cost[slot[j] * K + k];

    ref = sigma < 1.0 ? PetscMax(ref, c) : PetscMin(ref, c);
  }
  /* Zero costs only arise from prices exactly 0 (solvers keep a floor): the
     composite of free paths is free. */
  if (ref <= 0.0) return 0.0;
  for (PetscInt j = 0; j < n; j++)
    sum += weight[j] * PetscPowReal(cost[slot[j] * K + k] / ref, 1.0 - sigma);
  return ref * PetscPowReal(sum, 1.0 / (1.0 - sigma));
}

PetscErrorCode WalrasRoutingBackward(WalrasEconomy ec, const PetscReal *p)
{
  const PetscInt K = ec->K, R = ec->R, bs = ec->bs;

  PetscFunctionBegin;
  /* Heights ascend from the exits, so every successor is final before its
     predecessors need it. */
  for (PetscInt h = 0; h < ec->levels; h++) {
    for (PetscInt j = ec->level_start[h]; j < ec->level_start[h + 1]; j++) {
      PetscInt i = ec->by_height[j], first = ec->succ_start[i], n = ec->succ_start[i + 1] - first;

      for (PetscInt k = 0; k < K; k++) {
        PetscReal own = 0.0, next = 0.0;

        for (PetscInt r = 0; r < R; r++) own += p[i * bs + r * K + k] * ec->d[i * R + r];
        if (n > 0)
          next = CESAggregate(ec->sigma, n, ec->succ_weight + first, ec->succ_slot + first,
                              ec->cost, K, k);
        ec->cost_next[i * K + k] = next;
        ec->cost[i * K + k]      = own + next;
      }
    }
    PetscCall(PetscSFBcastBegin(ec->sf_level[h], ec->unit, ec->cost, ec->cost + ec->nlocal * K,
                                MPI_REPLACE));
    PetscCall(PetscSFBcastEnd(ec->sf_level[h], ec->unit, ec->cost, ec->cost + ec->nlocal * K,
                              MPI_REPLACE));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasRoutingForward(WalrasEconomy ec)
{
  const PetscInt K = ec->K, n_succ = ec->succ_start[ec->nlocal];

  PetscFunctionBegin;
  PetscCall(PetscArrayzero(ec->inflow, (ec->nlocal + ec->nghost) * K));

  /* From each orchestrator's virtual source: G_0 = n_h[k], split over its
     entries by C_0h.  Beyond the entries the tenants' tasks share every
     split (same sigma and weights), so one sweep carries them all. */
  for (PetscInt m = 0; m < ec->n_entry; m++) {
    PetscInt b = ec->entry_local[m], o = ec->entry_tenant[m] * K;

    for (PetscInt k = 0; k < K; k++) {
      PetscReal flow =
          ec->tasks[o + k] * WalrasSplitFactor(ec->sigma, ec->entry_weight[m], ec->unit_cost[o + k],
                                               ec->cost[b * K + k]);

      ec->flows[(n_succ + m) * K + k] = flow;
      ec->inflow[b * K + k] += flow;
    }
  }

  /* Heights descend towards the exits: all predecessors of an agent have
     larger heights, so its inflow is complete when its level comes, once the
     flows that other ranks collected for it have been added in. */
  for (PetscInt h = ec->levels - 1; h >= 0; h--) {
    PetscCall(PetscSFReduceBegin(ec->sf_level[h], ec->unit, ec->inflow + ec->nlocal * K, ec->inflow,
                                 MPI_SUM));
    PetscCall(PetscSFReduceEnd(ec->sf_level[h], ec->unit, ec->inflow + ec->nlocal * K, ec->inflow,
                               MPI_SUM));
    for (PetscInt j = ec->level_start[h]; j < ec->level_start[h + 1]; j++) {
      PetscInt i = ec->by_height[j];

      for (PetscInt m = ec->succ_start[i]; m < ec->succ_start[i + 1]; m++) {
        PetscInt slot = ec->succ_slot[m];

        for (PetscInt k = 0; k < K; k++) {
          PetscReal flow = ec->inflow[i * K + k] * WalrasSplitFactor(ec->sigma, ec->succ_weight[m],
                                                                     ec->cost_next[i * K + k],
                                                                     ec->cost[slot * K + k]);

          ec->flows[m * K + k] = flow;
          ec->inflow[slot * K + k] += flow;
        }
      }
    }
  }
  PetscFunctionReturn(0);
}
