/* walras check: load and validate a scenario, print what it holds. */

#include <walras/scenario.h>
#include <walras/yaml.h>

#include "cli/commands.h"

/* Lists of entries and exits stop after this many names. */
#define CHECK_NAMES_SHOWN 8

static PetscErrorCode PrintNames(const char *label, const WalrasScenario *sc, const PetscBool in[])
{
  PetscInt n = 0;

  PetscFunctionBegin;
  PetscCall(WalrasLog("%-10s", label));
  for (PetscInt a = 0; a < sc->A; a++) {
    if (!in[a]) continue;
    if (n < CHECK_NAMES_SHOWN) PetscCall(WalrasLog("%s%s", n ? ", " : "", sc->agents[a].name));
    n++;
  }
  if (n > CHECK_NAMES_SHOWN)
    PetscCall(WalrasLog(" (and %" PetscInt_FMT " more)", n - CHECK_NAMES_SHOWN));
  PetscCall(WalrasLog("\n"));
  PetscFunctionReturn(0);
}

/* Entries are the targets of edges from the source; exits are the agents
   without successor (the loader made sure these are the listed exits). */
static PetscErrorCode PrintGraph(const WalrasScenario *sc)
{
  PetscBool *entry, *exit;
  PetscInt   n_entry = 0, n_frontier = 0;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(sc->A, &entry));
  PetscCall(PetscMalloc1(sc->A, &exit));
  for (PetscInt a = 0; a < sc->A; a++) exit[a] = PETSC_TRUE;
  for (PetscInt a = 0; a < sc->A; a++) n_frontier += sc->agents[a].kind == WALRAS_FIRM_FRONTIER;
  for (PetscInt i = 0; i < sc->E; i++) {
    if (sc->edges[i].from < 0)
      entry[sc->edges[i].to] = PETSC_TRUE, n_entry++;
    else
      exit[sc->edges[i].from] = PETSC_FALSE;
  }
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT " (%" PetscInt_FMT " frontier, %" PetscInt_FMT
                      " capacity)\n",
                      "agents", sc->A, n_frontier, sc->A - n_frontier));
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT " (%" PetscInt_FMT " from the orchestrator)\n", "edges",
                      sc->E, n_entry));
  PetscCall(PrintNames("entries", sc, entry));
  PetscCall(PrintNames("exits", sc, exit));
  PetscCall(PetscFree(entry));
  PetscCall(PetscFree(exit));
  PetscFunctionReturn(0);
}

/* The same for an arrays scenario, from the slices: counts only, since the
   names ("a<index>") say nothing more. */
static PetscErrorCode PrintSlices(const WalrasScenario *sc)
{
  const WalrasScenarioSlice *s         = sc->slice;
  PetscInt                   counts[2] = {0, 0}; /* frontier agents, exits */

  PetscFunctionBegin;
  for (PetscInt i = 0; i < s->n; i++) {
    counts[0] += s->kind[i] == WALRAS_FIRM_FRONTIER;
    counts[1] += s->out_start[i + 1] == s->out_start[i];
  }
  PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, counts, 2, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT " (%" PetscInt_FMT " frontier, %" PetscInt_FMT
                      " capacity), read in slices from %s\n",
                      "agents", sc->A, counts[0], sc->A - counts[0], sc->arrays));
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT " (%" PetscInt_FMT " from the orchestrator)\n", "edges",
                      sc->E, s->n_entry));
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT " agent%s without successor\n", "exits", counts[1],
                      counts[1] == 1 ? "" : "s"));
  PetscFunctionReturn(0);
}

/* The struct keeps the shares, not where they came from: read that back
   from the stored text of the file. */
static PetscErrorCode PrintDemand(const WalrasScenario *sc)
{
  WalrasYAML     doc;
  WalrasYAMLNode demand, trace, format, file, value;
  const char    *f = "", *fmt = "", *what = "tasks";

  PetscFunctionBegin;
  for (PetscInt h = 0; sc->H > 1 && h < sc->H; h++) {
    PetscInt n_entry = 0;

    for (PetscInt i = 0; i < sc->E; i++) n_entry += sc->edges[i].from == -1 - h;
    PetscCall(WalrasLog("%-10s%s: firm share %.4g, %" PetscInt_FMT " entr%s, %s\n",
                        h ? "" : "tenants", sc->tenants[h].name, (double)sc->tenants[h].firm_share,
                        n_entry, n_entry == 1 ? "y" : "ies",
                        sc->tenants[h].arrivals ? "demand from a trace" : "explicit shares"));
  }
  if (sc->H > 1) PetscFunctionReturn(0);
  if (!sc->arrivals) {
    PetscCall(WalrasLog("%-10sexplicit shares\n", "demand"));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasYAMLLoadString(sc->path, sc->text, &doc));
  PetscCall(WalrasYAMLMapGet(WalrasYAMLRoot(doc), "demand", PETSC_TRUE, &demand));
  PetscCall(WalrasYAMLMapGet(demand, "trace", PETSC_TRUE, &trace));
  PetscCall(WalrasYAMLMapGet(demand, "value", PETSC_FALSE, &value));
  PetscCall(WalrasYAMLMapGet(trace, "format", PETSC_TRUE, &format));
  PetscCall(WalrasYAMLMapGet(trace, "file", PETSC_TRUE, &file));
  PetscCall(WalrasYAMLGetString(format, &fmt));
  PetscCall(WalrasYAMLGetString(file, &f));
  if (WalrasYAMLPresent(value)) PetscCall(WalrasYAMLGetString(value, &what));
  PetscCall(WalrasLog("%-10strace %s (%s), shares by %s\n", "demand", f, fmt, what));
  PetscCall(WalrasYAMLDestroy(&doc));
  PetscFunctionReturn(0);
}

/* Per metric: units all agents can deliver over the horizon, sum of cap * dt
   (of an arrays scenario: each rank's slice, then one reduction). */
static PetscErrorCode PrintCapacity(const WalrasScenario *sc)
{
  const PetscInt n = sc->slice ? sc->slice->n : sc->A;
  PetscReal     *total;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(sc->R, &total));
  for (PetscInt a = 0; a < n; a++) {
    const PetscReal *cap =
        sc->slice ? sc->slice->cap + (size_t)a * sc->R * sc->K : sc->agents[a].cap;

    for (PetscInt r = 0; r < sc->R; r++)
      for (PetscInt k = 0; k < sc->K; k++) total[r] += cap[r * sc->K + k] * sc->dt[k];
  }
  if (sc->slice)
    PetscCall(MPIU_Allreduce(MPI_IN_PLACE, total, (PetscMPIInt)sc->R, MPIU_REAL, MPI_SUM,
                             PETSC_COMM_WORLD));
  for (PetscInt r = 0; r < sc->R; r++)
    PetscCall(WalrasLog("%-10s%s: %.6g over the horizon (%.6g per second)\n", r ? "" : "capacity",
                        sc->metrics[r], (double)total[r], (double)(total[r] / sc->T)));
  PetscCall(PetscFree(total));
  PetscFunctionReturn(0);
}

/*@ WalrasCommandCheck - walras check SCENARIO

  Collective on PETSC_COMM_WORLD: every rank loads and validates the scenario
  (so every rank raises the same input error), rank 0 prints a summary. @*/
PetscErrorCode WalrasCommandCheck(int argc, char **argv)
{
  const char      usage[] = "usage: walras check SCENARIO.yaml";
  WalrasScenario *sc;
  PetscBool       help;
  int             n;

  PetscFunctionBegin;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(WalrasLog("%s\n  loads and validates the scenario, prints what it holds\n", usage));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasCliPositionals(argc, argv, 1, usage, &n));
  WalrasCheckInput(n == 1, usage);
  PetscCall(WalrasScenarioLoad(argv[1], &sc));
  PetscCall(WalrasLog("%-10s%s (%s)\n", "scenario", sc->name, sc->path));
  if (sc->slice)
    PetscCall(PrintSlices(sc));
  else
    PetscCall(PrintGraph(sc));
  PetscCall(WalrasLog("%-10s%" PetscInt_FMT ":", "metrics", sc->R));
  for (PetscInt r = 0; r < sc->R; r++) PetscCall(WalrasLog(" %s", sc->metrics[r]));
  PetscCall(WalrasLog("\n%-10sT = %.6g s in K = %" PetscInt_FMT " intervals\n", "horizon",
                      (double)sc->T, sc->K));
  PetscCall(PrintDemand(sc));
  PetscCall(PrintCapacity(sc));
  PetscCall(WalrasLog("valid\n"));
  PetscCall(WalrasScenarioDestroy(&sc));
  PetscFunctionReturn(0);
}
