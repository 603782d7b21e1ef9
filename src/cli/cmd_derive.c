/* walras derive-chatdev: the agents and edges of the ChatDev scenario, derived
   from the public ChatDev data rather than typed by hand (runs/README.md). */

#include <walras/loaders.h>
#include <string.h>

#include "cli/commands.h"

/* The data ship in the source tree, like the default scenario of 'run', so
   the defaults work from any folder. */
static const char default_config[] = WALRAS_SOURCE_DIR "/runs/data/chatdev/ChatChainConfig.json";
static const char default_calls[]  = WALRAS_SOURCE_DIR "/runs/data/chatdev/chatdev_llm_calls.csv";

/* Agent names carry '#'; quoting keeps them plain strings for any YAML reader. */
static PetscErrorCode PrintName(const char *key, const char *name, const char *after)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("%s\"%s\"%s", key, name, after));
  PetscFunctionReturn(0);
}

static PetscErrorCode PrintAgents(const WalrasChatDevWorkflow *wf)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("agents:\n"));
  for (PetscInt i = 0; i < wf->n_nodes; i++) {
    PetscCall(PrintName("  - name: ", wf->node_name[i], ""));
    PetscCall(
        WalrasLog("    # %s; visited by %.0f runs\n", wf->node_role[i], (double)wf->visits[i]));
    PetscCall(WalrasLog("    require: {prefill: %.2f, decode: %.2f}\n",
                        (double)wf->prompt_tokens[i], (double)wf->completion_tokens[i]));
  }
  PetscFunctionReturn(0);
}

/* weight = runs that took the edge / runs that left its source node */
static PetscErrorCode PrintEdges(const WalrasChatDevWorkflow *wf)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("edges:\n"));
  for (PetscInt e = 0; e < wf->n_edges; e++) {
    PetscReal leaving = 0;

    for (PetscInt f = 0; f < wf->n_edges; f++)
      if (wf->edge_from[f] == wf->edge_from[e]) leaving += wf->edge_count[f];
    if (wf->edge_from[e] < 0)
      PetscCall(WalrasLog("  - {from: ingress"));
    else
      PetscCall(PrintName("  - {from: ", wf->node_name[wf->edge_from[e]], ""));
    PetscCall(PrintName(", to: ", wf->node_name[wf->edge_to[e]], ""));
    PetscCall(WalrasLog(", weight: %.4f}   # %.0f of %.0f runs\n",
                        (double)(wf->edge_count[e] / leaving), (double)wf->edge_count[e],
                        (double)leaving));
  }
  PetscFunctionReturn(0);
}

/*@ WalrasCommandDeriveChatDev - walras derive-chatdev [CONFIG.json CALLS.csv]

  Collective on PETSC_COMM_WORLD (every rank reads, rank 0 prints).  Prints the
  agents: and edges: blocks of docs/scenario.md for the unrolled ChatDev
  workflow; defaults are the files in runs/data/chatdev/. @*/
PetscErrorCode WalrasCommandDeriveChatDev(int argc, char **argv)
{
  const char           *config = default_config, *calls = default_calls;
  const char            usage[] = "usage: walras derive-chatdev [CONFIG.json CALLS.csv]";
  WalrasChatDevWorkflow wf;
  PetscBool             help;
  int                   n;

  PetscFunctionBegin;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(WalrasLog("%s\n  defaults: %s %s\n", usage, default_config, default_calls));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasCliPositionals(argc, argv, 2, usage, &n));
  if (n > 0) config = argv[1];
  if (n > 1) calls = argv[2];
  PetscCall(WalrasChatDevWorkflowBuild(config, calls, &wf));
  PetscCall(WalrasLog("# derived by 'walras derive-chatdev' from %s and %s\n", config, calls));
  PetscCall(WalrasLog("# %" PetscInt_FMT " runs, %" PetscInt_FMT
                      " skipped (their phases do not fit the chain or exceed its cycleNum)\n",
                      wf.runs, wf.runs_skipped));
  PetscCall(
      WalrasLog("# require: mean prompt (prefill) and completion (decode) tokens per visit\n"));
  PetscCall(PrintAgents(&wf));
  PetscCall(PrintEdges(&wf));
  PetscCall(WalrasChatDevWorkflowDestroy(&wf));
  PetscFunctionReturn(0);
}
