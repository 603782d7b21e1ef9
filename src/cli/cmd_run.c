/* walras run [SCENARIO] [-o OUT.h5] [options]: the main job.  Reads the
   scenario on every rank, partitions the agents, finds the equilibrium and
   writes it to HDF5. */

#include <walras/economy.h>
#include <walras/output.h>
#include <walras/scenario.h>
#include <walras/solver.h>
#include <walras/version.h>

#include <string.h>

#include "cli/commands.h"
#include "cli/summary.h"

/* The default scenario ships in the source tree's runs/ folder;
   WALRAS_DEFAULT_SCENARIO overrides it (e.g. for an installed walras). */
static const char *DefaultScenario(void)
{
  const char *env = getenv("WALRAS_DEFAULT_SCENARIO");

  return env && env[0] ? env : WALRAS_SOURCE_DIR "/runs/chatdev.yaml";
}

static const char usage[] = "usage: walras run [SCENARIO.yaml] [-o OUT.h5] [options]";

typedef struct {
  char      scenario[PETSC_MAX_PATH_LEN];
  char      output[PETSC_MAX_PATH_LEN];
  PetscBool output_set;
  char      partition[32];
} RunOptions;

/* The options of walras run itself.  The solver's are read by WalrasSolve;
   they are queried here too, with the same defaults, so that -help lists
   them without a solve. */
static PetscErrorCode GetRunOptions(RunOptions *o)
{
  char solver[32] = "tatonnement", fallback[32] = "";

  PetscFunctionBegin;
  PetscOptionsBegin(PETSC_COMM_WORLD, NULL, "walras run", NULL);
  PetscCall(PetscStrncpy(o->partition, "block", sizeof(o->partition)));
  PetscCall(PetscOptionsString("-walras_partition",
                               "How agents are assigned to ranks: block, scotch or level", NULL,
                               o->partition, o->partition, sizeof(o->partition), NULL));
  PetscCall(PetscOptionsString("-o", "Output HDF5 file (default: NAME.h5 for scenario NAME)", NULL,
                               o->output, o->output, sizeof(o->output), &o->output_set));
  PetscCall(PetscOptionsString("-walras_solver", "tatonnement, anderson, ngmres or newton", NULL,
                               solver, solver, sizeof(solver), NULL));
  PetscCall(PetscOptionsString("-walras_fallback",
                               "Solver to continue with from the last prices when the first one "
                               "stops without converging (none by default)",
                               NULL, fallback, fallback, sizeof(fallback), NULL));
  PetscOptionsEnd();
  PetscFunctionReturn(0);
}

static PetscErrorCode LogSetup(const WalrasScenario *sc, WalrasEconomy ec)
{
  WalrasEconomyInfo info;
  PetscMPIInt       size;

  PetscFunctionBegin;
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCall(WalrasLog("walras %s: scenario %s (%s)\n", WALRAS_VERSION_STRING, sc->name, sc->path));
  PetscCall(WalrasLog("  %" PetscInt_FMT " agents, %" PetscInt_FMT " edges, %" PetscInt_FMT
                      " levels; R = %" PetscInt_FMT " metrics, K = %" PetscInt_FMT
                      " intervals over T = %.6g s: %" PetscInt_FMT " goods\n",
                      info.A, info.E, info.levels, info.R, info.K, (double)sc->T,
                      info.A * info.R * info.K));
  PetscCall(
      WalrasLog("  partition %s over %d rank%s: %" PetscInt_FMT " cut edges, imbalance %.2f\n",
                info.partition, size, size > 1 ? "s" : "", info.cut_edges, (double)info.imbalance));
  PetscFunctionReturn(0);
}

/* Not converged is not an error, but scripts must be able to tell. */
int walras_run_exit_status = 0;

/* Everything between creating the temporary output and renaming it into
   place; the caller removes the temporary file when this fails. */
static PetscErrorCode SolveAndWrite(WalrasScenario *sc, const RunOptions *o, WalrasOutput *out)
{
  WalrasEconomy     ec;
  WalrasMarket     *market;
  WalrasSolveReport report;
  Vec               p;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&report, sizeof(report)));
  PetscCall(WalrasEconomyCreate(PETSC_COMM_WORLD, sc, o->partition, &ec));
  PetscCall(WalrasScenarioReleaseSlice(sc)); /* the economy has its own copy */
  PetscCall(LogSetup(sc, ec));
  PetscCall(WalrasEconomyCreatePrices(ec, &p));
  PetscCall(WalrasEconomyGetMarket(ec, &market));
  PetscCall(WalrasSolve(market, p, &report));

  PetscCall(WalrasOutputWriteRun(*out, ec, p, &report));
  PetscCall(WalrasOutputCommit(out));
  PetscCall(WalrasPrintSummary(ec, p, &report, o->output));
  if (report.reason != WALRAS_STOP_CONVERGED) walras_run_exit_status = 3;

  PetscCall(WalrasSolveReportReset(&report));
  PetscCall(VecDestroy(&p));
  PetscCall(WalrasEconomyDestroy(&ec));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasCommandRun(int argc, char **argv)
{
  RunOptions      o;
  WalrasScenario *sc  = NULL;
  WalrasOutput    out = NULL;
  PetscBool       help;
  int             n;
  PetscErrorCode  ierr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(&o, sizeof(o)));
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) PetscCall(WalrasLog("%s\n", usage));
  PetscCall(GetRunOptions(&o));
  if (help) PetscFunctionReturn(0);
  PetscCall(WalrasCliPositionals(argc, argv, 1, usage, &n));
  PetscCall(PetscStrncpy(o.scenario, n ? argv[1] : DefaultScenario(), sizeof(o.scenario)));
  if (o.output_set) PetscCall(WalrasCliCheckOutput("-o", o.output, 0, NULL, NULL));

  PetscCall(WalrasScenarioLoad(o.scenario, &sc));
  if (!o.output_set) PetscCall(PetscSNPrintf(o.output, sizeof(o.output), "%s.h5", sc->name));
  {
    const char *inputs[] = {sc->path, sc->arrays};
    const char *what[]   = {"the scenario file", "the scenario's arrays file"};

    PetscCall(WalrasCliCheckOutput("-o", o.output, 2, inputs, what));
  }

  /* The output is created before solving, so that a wrong path fails in a
     second rather than after the solve; it is written to a temporary name
     and only a complete file replaces what the user had. */
  PetscCall(WalrasOutputOpen(PETSC_COMM_WORLD, o.output, &out));
  ierr = SolveAndWrite(sc, &o, &out);
  if (ierr) {
    PetscCall(WalrasOutputAbandon(&out));
    PetscCall(ierr);
  }
  PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}
