/* The closing summary of walras run. */

#include "cli/summary.h"

#include <stdlib.h>

typedef struct {
  double value;
  long   agent; /* scenario index */
} Ranked;

static int ByValueDescending(const void *a, const void *b)
{
  double x = ((const Ranked *)a)->value, y = ((const Ranked *)b)->value;

  return (x < y) - (x > y);
}

/* The top agents by mean price relative to the mean price of all goods:
   each rank ranks its own agents, rank 0 merges the candidates. */
static PetscErrorCode TopAgents(WalrasEconomy ec, Vec p, int top, Ranked *best, int *nbest)
{
  WalrasEconomyInfo     info;
  const WalrasScenario *sc;
  const PetscInt       *agents;
  const PetscReal      *pa;
  Ranked               *mine, *all = NULL;
  PetscMPIInt           size, rank;
  PetscReal             total;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  PetscCall(WalrasEconomyGetScenario(ec, &sc));
  PetscCall(WalrasEconomyGetLocalAgents(ec, &agents));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCall(VecSum(p, &total));
  PetscCall(PetscCalloc1(PetscMax(info.nlocal, top), &mine));
  PetscCall(VecGetArrayRead(p, &pa));
  for (PetscInt i = 0; i < info.nlocal; i++) {
    PetscReal sum = 0.0;

    /* <p_a, 1> / (R T) over <p, 1> / (A R T) with <p, 1> = 1. */
    for (PetscInt r = 0; r < info.R; r++)
      for (PetscInt k = 0; k < info.K; k++) sum += sc->dt[k] * pa[(i * info.R + r) * info.K + k];
    mine[i].value = sum * info.A;
    mine[i].agent = agents[i];
  }
  PetscCall(VecRestoreArrayRead(p, &pa));
  qsort(mine, (size_t)info.nlocal, sizeof(Ranked), ByValueDescending);
  for (PetscInt i = info.nlocal; i < top; i++) mine[i].value = -1.0, mine[i].agent = -1;

  if (rank == 0) PetscCall(PetscMalloc1(top * size, &all));
  PetscCallMPI(MPI_Gather(mine, top * (int)sizeof(Ranked), MPI_BYTE, all, top * (int)sizeof(Ranked),
                          MPI_BYTE, 0, PETSC_COMM_WORLD));
  *nbest = 0;
  if (rank == 0) {
    qsort(all, (size_t)top * size, sizeof(Ranked), ByValueDescending);
    for (int i = 0; i < top && all[i].agent >= 0; i++) best[(*nbest)++] = all[i];
  }
  PetscCall(PetscFree(all));
  PetscCall(PetscFree(mine));
  (void)total;
  PetscFunctionReturn(0);
}

/* With tenants, one line each: the tasks it is served and its income. */
static PetscErrorCode PrintTenants(const WalrasScenario *sc, const WalrasEconomyState *st)
{
  PetscFunctionBegin;
  for (PetscInt h = 0; h < sc->H && sc->H > 1; h++) {
    const WalrasTenantSpec *t      = &sc->tenants[h];
    PetscReal               served = 0.0, arriving = 0.0;
    char                    share[64] = "";

    for (PetscInt k = 0; k < sc->K; k++) {
      served += sc->dt[k] * st->tenant_tasks[h * sc->K + k] / sc->T;
      if (t->arrivals) arriving += sc->dt[k] * t->arrivals[k] / sc->T;
    }
    if (t->arrivals && arriving > 0.0)
      PetscCall(PetscSNPrintf(share, sizeof(share), ", %.4g arriving (%.1f%%)", arriving,
                              100.0 * served / arriving));
    if (h == 0)
      PetscCall(
          WalrasLog("  tenants           (tasks per s served; firm share, income, welfare)\n"));
    PetscCall(WalrasLog("    %-15s %.4g served%s; theta %.3g, m %.6g, U %.6g\n", t->name, served,
                        share, t->firm_share, st->tenant_income[h], st->tenant_welfare[h]));
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasPrintSummary(WalrasEconomy ec, Vec p, const WalrasSolveReport *report,
                                  const char *output)
{
  const WalrasEconomyState *st;
  const WalrasScenario     *sc;
  Ranked                    best[5];
  int                       nbest = 0;
  PetscMPIInt               size;
  PetscReal                 served = 0.0, arriving = 0.0, worst_walras = 0.0;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyEvaluate(ec, p, &st));
  PetscCall(WalrasEconomyGetScenario(ec, &sc));
  PetscCall(TopAgents(ec, p, 5, best, &nbest));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  for (PetscInt k = 0; k < sc->K; k++) {
    served += sc->dt[k] * st->tasks[k] / sc->T;
    if (sc->arrivals) arriving += sc->dt[k] * sc->arrivals[k] / sc->T;
  }
  for (PetscInt r = 0; r < report->n_history; r++)
    worst_walras = PetscMax(worst_walras, report->history_walras[r]);

  if (report->reason == WALRAS_STOP_CONVERGED)
    PetscCall(WalrasLog(
        "walras: equilibrium of %s found by %s in %" PetscInt_FMT " rounds (%.2f s on %d rank%s)\n",
        sc->name, report->solver, report->rounds, report->seconds, size, size > 1 ? "s" : ""));
  else
    PetscCall(WalrasLog("walras: NO equilibrium of %s: %s stopped after %" PetscInt_FMT
                        " rounds: %s (%.2f s on %d rank%s)\n",
                        sc->name, report->solver, report->rounds, WalrasStopReasons[report->reason],
                        report->seconds, size, size > 1 ? "s" : ""));
  PetscCall(WalrasLog("  natural residual  %.2e   (%s)\n", report->residual, report->detail));
  PetscCall(WalrasLog("  Walras value      %.1e   |<p,z>| / <p,x>; worst round %.1e\n",
                      report->walras, worst_walras));
  /* kappa is the largest ratio of successive steps over the last rounds:
     a contraction bound only when below 1, and unknown for solvers that
     take no tatonnement steps at the end (Newton, the accelerated ones). */
  if (PetscIsNanReal(report->kappa))
    PetscCall(WalrasLog("  contraction       not estimated (%s takes no tatonnement steps at the "
                        "end); observed rate %.4f\n",
                        report->solver, report->observed_rate));
  else if (report->kappa >= 1.0)
    PetscCall(WalrasLog("  contraction       none shown: kappa %.4f >= 1 from steps (some steps "
                        "grew), observed rate %.4f\n",
                        report->kappa, report->observed_rate));
  else
    PetscCall(WalrasLog("  contraction       kappa %.4f from steps, observed rate %.4f%s\n",
                        report->kappa, report->observed_rate,
                        report->observed_rate <= report->kappa * (1.0 + 1e-9)
                            ? " (within the estimate)"
                            : " (above the estimate)"));
  PetscCall(
      WalrasLog("  income m          %.6g   (prices normalised: sum dt p = 1)\n", st->income));
  PetscCall(
      WalrasLog("  welfare U         %.6g   %s\n", st->welfare,
                sc->H > 1 ? "sum_h U_h, U_h = sum_k s_h[k] log n_h[k]" : "sum_k s[k] log n[k]"));
  if (sc->arrivals)
    PetscCall(WalrasLog("  tasks             %.4g per s served, %.4g per s arriving (%.1f%%)\n",
                        served, arriving, 100.0 * served / arriving));
  else
    PetscCall(WalrasLog("  tasks             %.4g per s served\n", served));
  PetscCall(PrintTenants(sc, st));
  PetscCall(WalrasLog("  bottlenecks       (mean price / mean price of all goods)\n"));
  /* Agents at the price floor (1e-30 of the mean) or near it are slack, not
     bottlenecks: list only those with a price that matters. */
  for (int i = 0; i < nbest; i++) {
    char name[256];

    if (best[i].value < 1e-9) {
      if (i == 0) PetscCall(WalrasLog("    (no agent has a positive price)\n"));
      break;
    }
    PetscCall(WalrasScenarioAgentName(sc, best[i].agent, name, sizeof(name)));
    PetscCall(WalrasLog("    %d. %-28s %8.4g\n", i + 1, name, best[i].value));
  }
  PetscCall(WalrasLog("  output            %s\n", output));
  PetscFunctionReturn(0);
}
