/* Benchmark driver: one solve of an agent economy with the solver chosen by
   -walras_solver (and its options), printed as one row of the table in
   bench/RESULTS.md.  usage: bench_solvers layered|diamond|<scenario.yaml>
   [-bench_label text] [solver options].  Run by bench/solvers.sh. */
#include <walras/economy.h>
#include <walras/solver.h>

#include "core/testeconomies.h"

static PetscErrorCode Run(const char *which)
{
  WalrasScenario   *sc;
  WalrasEconomy     ec;
  WalrasMarket     *market;
  WalrasSolveReport report;
  WalrasEconomyInfo info;
  Vec               p;
  PetscBool         layered, diamond;
  PetscMPIInt       size;
  char              solver[32] = "tatonnement", label[64] = "";

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&report, sizeof(report)));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(PetscStrcmp(which, "layered", &layered));
  PetscCall(PetscStrcmp(which, "diamond", &diamond));
  if (layered)
    PetscCall(TestScenarioCreate(TEST_ECONOMY_LAYERED, 0.7, &sc));
  else if (diamond)
    PetscCall(TestScenarioCreate(TEST_ECONOMY_DIAMOND, 0.5, &sc));
  else
    PetscCall(WalrasScenarioLoad(which, &sc));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-walras_solver", solver, sizeof(solver), NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-bench_label", label, sizeof(label), NULL));
  PetscCall(WalrasEconomyCreate(PETSC_COMM_WORLD, sc, "block", &ec));
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  PetscCall(WalrasEconomyGetMarket(ec, &market));
  PetscCall(WalrasEconomyCreatePrices(ec, &p));
  PetscCall(WalrasSolve(market, p, &report));

  /* economy | goods | ranks | solver | stop | rounds | evaluations | Jacobians x sweeps | s |
   * residual */
  PetscCall(WalrasLog("| %s | %" PetscInt_FMT " | %d | %s | %s | %" PetscInt_FMT " | %" PetscInt_FMT
                      " | %" PetscInt_FMT " x %" PetscInt_FMT " | %.2f | %.1e |\n",
                      layered   ? "layered"
                      : diamond ? "diamond"
                                : sc->name,
                      info.A * info.R * info.K, size, label[0] ? label : solver,
                      WalrasStopReasons[report.reason], report.rounds, report.evaluations,
                      report.jacobians, info.A * info.R, (double)report.seconds,
                      (double)report.residual));
  PetscCall(WalrasSolveReportReset(&report));
  PetscCall(VecDestroy(&p));
  PetscCall(WalrasEconomyDestroy(&ec));
  if (layered || diamond)
    PetscCall(TestScenarioDestroy(&sc));
  else
    PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  if (argc < 2) {
    PetscCall(WalrasLog("usage: bench_solvers layered|diamond|<scenario.yaml> [options]\n"));
    PetscFinalize();
    return 2;
  }
  ierr = Run(argv[1]);
  PetscFinalize();
  return ierr ? 1 : 0;
}
