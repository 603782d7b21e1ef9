/* Evaluation of the agent economy at given prices: supply, routing, demand,
   excess demand (MODEL.md sections 2-4). */

#include "core/economyimpl.h"

PetscLogEvent WALRAS_EVENT_SUPPLY, WALRAS_EVENT_BACKWARD, WALRAS_EVENT_FORWARD, WALRAS_EVENT_REDUCE;

PetscErrorCode WalrasEconomyRegisterEvents(void)
{
  static PetscBool done = PETSC_FALSE;
  PetscClassId     id;

  PetscFunctionBegin;
  if (done) PetscFunctionReturn(0);
  done = PETSC_TRUE;
  PetscCall(PetscClassIdRegister("WalrasEconomy", &id));
  PetscCall(PetscLogEventRegister("WalrasSupply", id, &WALRAS_EVENT_SUPPLY));
  PetscCall(PetscLogEventRegister("WalrasSweepBwd", id, &WALRAS_EVENT_BACKWARD));
  PetscCall(PetscLogEventRegister("WalrasSweepFwd", id, &WALRAS_EVENT_FORWARD));
  PetscCall(PetscLogEventRegister("WalrasReduce", id, &WALRAS_EVENT_REDUCE));
  PetscFunctionReturn(0);
}

/* Supply and profit of every local firm; returns the local sum of profits. */
static PetscErrorCode Supply(WalrasEconomy ec, const PetscReal *p, PetscReal *profit_sum)
{
  PetscReal *y, sum = 0.0;

  PetscFunctionBegin;
  PetscCall(VecGetArray(ec->y, &y));
  for (PetscInt i = 0; i < ec->nlocal; i++) {
    const PetscReal *cap = ec->cap + (size_t)i * ec->bs;
    PetscReal        profit;

    if (ec->kind[i] == WALRAS_FIRM_FRONTIER)
      WalrasFrontierSupply(ec->R, ec->K, ec->gamma[i], ec->dt, p + i * ec->bs, cap, y + i * ec->bs,
                           &profit);
    else
      WalrasCapacitySupply(ec->R, ec->K, ec->dt, p + i * ec->bs, cap, y + i * ec->bs, &profit);
    sum += profit;
  }
  PetscCall(VecRestoreArray(ec->y, &y));
  *profit_sum = sum;
  PetscFunctionReturn(0);
}

/* C_0h[k] over each orchestrator's entry agents and the income m, with the
   one reduction the consumers need: the entries' CES terms and the firms'
   profits. */
static PetscErrorCode ConsumerTotals(WalrasEconomy ec, PetscReal profit_local, PetscReal *income)
{
  const PetscInt K = ec->K, HK = ec->H * ec->K;
  PetscReal      sigma = ec->sigma, *buf;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(HK + 1, &buf));
  for (PetscInt m = 0; m < ec->n_entry; m++) {
    PetscInt b = ec->entry_local[m], o = ec->entry_tenant[m] * K;

    for (PetscInt k = 0; k < K; k++) {
      PetscReal c = ec->cost[b * K + k], w = ec->entry_weight[m];

      buf[o + k] += sigma == 1.0 ? w * PetscLogReal(c / w) : w * PetscPowReal(c, 1.0 - sigma);
    }
  }
  buf[HK] = profit_local;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, buf, (PetscMPIInt)(HK + 1), MPIU_REAL, MPI_SUM, ec->comm));
  for (PetscInt i = 0; i < HK; i++)
    ec->unit_cost[i] =
        sigma == 1.0 ? PetscExpReal(buf[i]) : PetscPowReal(buf[i], 1.0 / (1.0 - sigma));
  *income = buf[HK];
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

/* With tenants, the totals over them: tasks served and cost per task
   (spending over tasks, sum_h n_h C_0h / sum_h n_h). */
static PetscErrorCode ConsumerMeans(WalrasEconomy ec)
{
  const PetscInt K = ec->K;

  PetscFunctionBegin;
  if (ec->H == 1) PetscFunctionReturn(0);
  for (PetscInt k = 0; k < K; k++) {
    PetscReal n = 0.0, spent = 0.0;

    for (PetscInt h = 0; h < ec->H; h++) {
      n += ec->tasks[h * K + k];
      spent += ec->tasks[h * K + k] * ec->unit_cost[h * K + k];
    }
    ec->total_tasks[k] = n;
    ec->mean_cost[k]   = n > 0.0 ? spent / n : 0.0;
  }
  PetscFunctionReturn(0);
}

/* Demand x = G_a[k] d_a[r] from the forward sweep's inflows and, in the same
   pass over the goods, what the caller asks for: z = x - y and s = x + y
   (either may be NULL) and *value = <p, x>_w (NULL when not wanted; one
   reduction).  x itself is stored only once someone asked for the state
   (ec->x exists): the solvers' rounds need z and s, and a vector of N less
   is 8 bytes per good off the peak of a solve. */
static PetscErrorCode Demand(WalrasEconomy ec, Vec p, Vec z, Vec s, PetscReal *value)
{
  const PetscInt   K = ec->K, R = ec->R, bs = ec->bs;
  const PetscReal *ya = NULL, *pa = NULL;
  PetscReal       *xa = NULL, *za = NULL, *sa = NULL, local = 0.0;

  PetscFunctionBegin;
  if (ec->x) PetscCall(VecGetArrayWrite(ec->x, &xa));
  if (z || s) PetscCall(VecGetArrayRead(ec->y, &ya));
  if (z) PetscCall(VecGetArrayWrite(z, &za));
  if (s) PetscCall(VecGetArrayWrite(s, &sa));
  if (value) PetscCall(VecGetArrayRead(p, &pa));
  for (PetscInt i = 0; i < ec->nlocal; i++)
    for (PetscInt r = 0; r < R; r++)
      for (PetscInt k = 0; k < K; k++) {
        PetscInt  g = i * bs + r * K + k;
        PetscReal x = ec->inflow[i * K + k] * ec->d[i * R + r];

        if (xa) xa[g] = x;
        if (za) za[g] = x - ya[g];
        if (sa) sa[g] = x + ya[g];
        if (pa) local += ec->dt[k] * pa[g] * x;
      }
  if (value) PetscCall(VecRestoreArrayRead(p, &pa));
  if (s) PetscCall(VecRestoreArrayWrite(s, &sa));
  if (z) PetscCall(VecRestoreArrayWrite(z, &za));
  if (z || s) PetscCall(VecRestoreArrayRead(ec->y, &ya));
  if (ec->x) PetscCall(VecRestoreArrayWrite(ec->x, &xa));
  if (value) PetscCall(MPIU_Allreduce(&local, value, 1, MPIU_REAL, MPIU_SUM, ec->comm));
  PetscFunctionReturn(0);
}

/* The whole evaluation at p; the outputs of Demand() as there. */
static PetscErrorCode Evaluate(WalrasEconomy ec, Vec p, Vec z, Vec scale, PetscReal *demand_value)
{
  const PetscInt   K = ec->K;
  const PetscReal *pa;
  PetscReal        profit_local = 0.0, income = 0.0, welfare = 0.0;

  PetscFunctionBegin;
  PetscCall(VecCopy(p, ec->p_last));
  PetscCall(VecGetArrayRead(p, &pa));
  PetscCall(PetscLogEventBegin(WALRAS_EVENT_SUPPLY, 0, 0, 0, 0));
  PetscCall(Supply(ec, pa, &profit_local));
  PetscCall(PetscLogEventEnd(WALRAS_EVENT_SUPPLY, 0, 0, 0, 0));
  PetscCall(PetscLogEventBegin(WALRAS_EVENT_BACKWARD, 0, 0, 0, 0));
  PetscCall(WalrasRoutingBackward(ec, pa));
  PetscCall(PetscLogEventEnd(WALRAS_EVENT_BACKWARD, 0, 0, 0, 0));
  PetscCall(VecRestoreArrayRead(p, &pa));
  PetscCall(PetscLogEventBegin(WALRAS_EVENT_REDUCE, 0, 0, 0, 0));
  PetscCall(ConsumerTotals(ec, profit_local, &income));
  PetscCall(PetscLogEventEnd(WALRAS_EVENT_REDUCE, 0, 0, 0, 0));

  /* Consumer h, with income m_h = theta_h m, spends s_h[k] m_h in interval
     k on tasks at unit cost C_0h[k]. */
  for (PetscInt h = 0; h < ec->H; h++) {
    ec->income_h[h]  = ec->theta[h] * income;
    ec->welfare_h[h] = 0.0;
    for (PetscInt k = 0; k < K; k++) {
      PetscInt  i = h * K + k;
      PetscReal s = ec->shares[i];

      ec->tasks[i] = s * ec->income_h[h] / (ec->dt[k] * ec->unit_cost[i]);
      if (s > 0.0) ec->welfare_h[h] += s * PetscLogReal(ec->tasks[i]);
    }
    welfare += ec->welfare_h[h];
  }
  PetscCall(ConsumerMeans(ec));
  PetscCall(PetscLogEventBegin(WALRAS_EVENT_FORWARD, 0, 0, 0, 0));
  PetscCall(WalrasRoutingForward(ec));
  PetscCall(PetscLogEventEnd(WALRAS_EVENT_FORWARD, 0, 0, 0, 0));
  PetscCall(Demand(ec, p, z, scale, demand_value));

  ec->state.prices           = ec->p_last;
  ec->state.supply           = ec->y;
  ec->state.demand           = ec->x; /* NULL until WalrasEconomyEvaluate */
  ec->state.income           = income;
  ec->state.welfare          = welfare;
  ec->state.tasks            = ec->H > 1 ? ec->total_tasks : ec->tasks;
  ec->state.unit_cost        = ec->H > 1 ? ec->mean_cost : ec->unit_cost;
  ec->state.H                = ec->H;
  ec->state.tenant_tasks     = ec->tasks;
  ec->state.tenant_unit_cost = ec->unit_cost;
  ec->state.tenant_income    = ec->income_h;
  ec->state.tenant_welfare   = ec->welfare_h;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyEvaluate(WalrasEconomy ec, Vec p, const WalrasEconomyState **state)
{
  PetscFunctionBegin;
  if (!ec->x) PetscCall(VecDuplicate(ec->y, &ec->x));
  PetscCall(Evaluate(ec, p, NULL, NULL, NULL));
  if (state) *state = &ec->state;
  PetscFunctionReturn(0);
}

/* The market callback of the solvers: z and scale are the caller's, filled
   by the pass that computes demand (the economy keeps neither). */
PetscErrorCode WalrasEconomyMarketEvaluate(void *ctx, Vec p, Vec z, Vec scale,
                                           PetscReal *demand_value)
{
  PetscFunctionBegin;
  PetscCall(Evaluate((WalrasEconomy)ctx, p, z, scale, demand_value));
  PetscFunctionReturn(0);
}

/* Names "agent/metric/k=K" for goods this rank owns. */
PetscErrorCode WalrasEconomyNameGood(void *ctx, PetscInt i, char *name, size_t len)
{
  WalrasEconomy         ec    = (WalrasEconomy)ctx;
  const WalrasScenario *sc    = ec->scenario;
  PetscInt              agent = i / ec->bs - ec->astart, rk = i % ec->bs;
  char                  agent_name[256];

  PetscFunctionBegin;
  PetscCheck(agent >= 0 && agent < ec->nlocal, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "good %" PetscInt_FMT " is not owned by this rank", i);
  PetscCall(WalrasScenarioAgentName(sc, ec->scenario_index[agent], agent_name, sizeof(agent_name)));
  PetscCall(PetscSNPrintf(name, len, "%s/%s/k=%" PetscInt_FMT, agent_name, sc->metrics[rk / ec->K],
                          rk % ec->K));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetMarket(WalrasEconomy ec, WalrasMarket **market)
{
  PetscFunctionBegin;
  *market = &ec->market;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyCreatePrices(WalrasEconomy ec, Vec *p)
{
  PetscReal       *pa, total;
  const PetscReal *sa;
  PetscInt         n;
  Vec              s;

  PetscFunctionBegin;
  PetscCall(VecDuplicate(ec->y, p));
  PetscCall(VecSet(*p, 1.0));

  /* Null goods are neither supplied nor demanded at any price (zero capacity
     and zero requirement, or an interval with no spending): any price clears
     them; 0 keeps the result independent of the start.  s = x + y in a
     vector freed before any solver allocates its own. */
  PetscCall(VecDuplicate(ec->y, &s));
  PetscCall(Evaluate(ec, *p, NULL, s, NULL));
  PetscCall(VecGetLocalSize(*p, &n));
  PetscCall(VecGetArray(*p, &pa));
  PetscCall(VecGetArrayRead(s, &sa));
  for (PetscInt i = 0; i < n; i++)
    if (sa[i] == 0.0) pa[i] = 0.0;
  PetscCall(VecRestoreArrayRead(s, &sa));
  PetscCall(VecRestoreArray(*p, &pa));
  PetscCall(VecDestroy(&s));
  PetscCall(WalrasMarketDot(&ec->market, *p, NULL, &total));
  PetscCheck(total > 0.0, ec->comm, PETSC_ERR_USER_INPUT,
             "%s: no good is supplied or demanded in any interval", ec->scenario->path);
  PetscCall(VecScale(*p, 1.0 / total));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetInfo(WalrasEconomy ec, WalrasEconomyInfo *info)
{
  PetscFunctionBegin;
  info->A         = ec->A;
  info->R         = ec->R;
  info->K         = ec->K;
  info->E         = ec->E;
  info->nlocal    = ec->nlocal;
  info->nghost    = ec->nghost;
  info->levels    = ec->levels;
  info->cut_edges = ec->cut_edges;
  info->imbalance = ec->imbalance;
  info->partition = ec->partition;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetLocalAgents(WalrasEconomy ec, const PetscInt **scenario_index)
{
  PetscFunctionBegin;
  *scenario_index = ec->scenario_index;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetEdgeFlows(WalrasEconomy ec, PetscInt *n, const PetscInt **edge_index,
                                         const PetscReal **flows)
{
  PetscFunctionBegin;
  *n          = ec->succ_start[ec->nlocal] + ec->n_entry;
  *edge_index = ec->flow_edge;
  *flows      = ec->flows;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetEdgeEnds(WalrasEconomy ec, PetscInt *from, PetscInt *to)
{
  const PetscInt n_succ = ec->succ_start[ec->nlocal];

  PetscFunctionBegin;
  for (PetscInt i = 0; i < ec->nlocal; i++)
    for (PetscInt m = ec->succ_start[i]; m < ec->succ_start[i + 1]; m++) {
      PetscInt slot = ec->succ_slot[m];

      from[m] = ec->scenario_index[i];
      to[m] = slot < ec->nlocal ? ec->scenario_index[slot] : ec->ghost_scenario[slot - ec->nlocal];
    }
  for (PetscInt m = 0; m < ec->n_entry; m++) {
    from[n_succ + m] = -1 - ec->entry_tenant[m];
    to[n_succ + m]   = ec->scenario_index[ec->entry_local[m]];
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasEconomyGetScenario(WalrasEconomy ec, const WalrasScenario **scenario)
{
  PetscFunctionBegin;
  *scenario = ec->scenario;
  PetscFunctionReturn(0);
}
