/* The same equilibrium on every rank count: the layered test economy is
   solved distributed over all ranks and, on rank 0 alone, on one rank; the
   prices in scenario order must agree to 1e-10 relative.  Also checks the
   Walras value of every round.  Exit status 0 on success. */
#include <walras/economy.h>
#include <walras/solver.h>

#include "core/testeconomies.h"

static PetscErrorCode SolveOn(MPI_Comm comm, const WalrasScenario *sc, const char *partition,
                              Vec *natural, WalrasSolveReport *report)
{
  WalrasEconomy ec;
  WalrasMarket *market;
  Vec           p;
  VecScatter    scatter;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyCreate(comm, sc, partition, &ec));
  PetscCall(WalrasEconomyCreatePrices(ec, &p));
  PetscCall(WalrasEconomyGetMarket(ec, &market));
  PetscCall(PetscMemzero(report, sizeof(*report)));
  PetscCall(WalrasSolveTatonnement(market, p, report));
  PetscCall(WalrasEconomyCreateNatural(ec, natural, &scatter));
  PetscCall(VecScatterBegin(scatter, p, *natural, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(scatter, p, *natural, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterDestroy(&scatter));
  PetscCall(VecDestroy(&p));
  PetscCall(WalrasEconomyDestroy(&ec));
  PetscFunctionReturn(0);
}

static PetscErrorCode Run(PetscBool *ok)
{
  WalrasScenario   *sc;
  Vec               dist, serial, gathered;
  VecScatter        to_zero;
  WalrasSolveReport rd, rs;
  PetscMPIInt       rank, size;
  char              partition[32] = "block";

  PetscFunctionBegin;
  *ok = PETSC_TRUE;
  PetscCall(PetscOptionsGetString(NULL, NULL, "-partition", partition, sizeof(partition), NULL));
  /* The per-good adaptive step converges on this economy in about 800
     rounds, the fixed one in about 33,000. */
  PetscCall(PetscOptionsSetValue(NULL, "-tat_adaptive", "true"));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(TestScenarioCreate(TEST_ECONOMY_LAYERED, 0.7, &sc));
  PetscCall(SolveOn(PETSC_COMM_WORLD, sc, partition, &dist, &rd));
  PetscCall(VecScatterCreateToZero(dist, &to_zero, &gathered));
  PetscCall(VecScatterBegin(to_zero, dist, gathered, INSERT_VALUES, SCATTER_FORWARD));
  PetscCall(VecScatterEnd(to_zero, dist, gathered, INSERT_VALUES, SCATTER_FORWARD));

  if (rank == 0) {
    const PetscReal *a, *b;
    PetscInt         n;
    PetscReal        worst = 0.0, pmax = 0.0;

    PetscCall(SolveOn(PETSC_COMM_SELF, sc, "block", &serial, &rs));
    PetscCall(VecGetLocalSize(serial, &n));
    PetscCall(VecGetArrayRead(serial, &a));
    PetscCall(VecGetArrayRead(gathered, &b));
    for (PetscInt i = 0; i < n; i++) pmax = PetscMax(pmax, PetscAbsReal(a[i]));
    for (PetscInt i = 0; i < n; i++) worst = PetscMax(worst, PetscAbsReal(a[i] - b[i]) / pmax);
    PetscCall(VecRestoreArrayRead(serial, &a));
    PetscCall(VecRestoreArrayRead(gathered, &b));
    printf("detail: %s\n", rd.detail);
    printf("ranks %d  partition %s  rounds %d (serial %d)  reason %s  max |p_P - p_1| / max p = "
           "%.3e\n",
           size, partition, (int)rd.rounds, (int)rs.rounds, WalrasStopReasons[rd.reason],
           (double)worst);
    if (rd.reason != WALRAS_STOP_CONVERGED || rs.reason != WALRAS_STOP_CONVERGED || worst > 1e-10)
      *ok = PETSC_FALSE;
    for (PetscInt r = 0; r < rd.n_history; r++)
      if (rd.history_walras[r] > 1e-10) *ok = PETSC_FALSE;
    PetscCall(VecDestroy(&serial));
    PetscCall(WalrasSolveReportReset(&rs));
  }
  PetscCallMPI(MPI_Bcast(ok, 1, MPIU_BOOL, 0, PETSC_COMM_WORLD));
  PetscCall(WalrasSolveReportReset(&rd));
  PetscCall(VecScatterDestroy(&to_zero));
  PetscCall(VecDestroy(&gathered));
  PetscCall(VecDestroy(&dist));
  PetscCall(TestScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscBool ok = PETSC_FALSE;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (Run(&ok)) ok = PETSC_FALSE;
  if (PetscFinalize()) return 1;
  return ok ? 0 : 1;
}
