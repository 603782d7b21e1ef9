#pragma once

/* Loaders for the public data walras is calibrated on (../shared/data):
   request traces (Azure LLM inference CSV, Mooncake JSONL), provider
   measurements (LLMPerf JSON) and the ChatDev workflow (ChatChainConfig.json
   and the per-call CSV).  Formats and derivations: docs/data.md.

   Not collective: each rank reads the (small) files itself and raises the
   same errors.  Every malformed row is an input error naming the file, the
   line and the field. */

#include <walras/sys.h>

/* Requests of a trace, sorted by arrival time. */
typedef struct {
  PetscInt   n;
  PetscReal *t;          /* [n] arrival, seconds since the first request */
  PetscReal *in_tokens;  /* [n] prompt (prefill) tokens */
  PetscReal *out_tokens; /* [n] generated (decode) tokens */
} WalrasTrace;

PETSC_EXTERN PetscErrorCode WalrasTraceLoadAzureCSV(const char *path, WalrasTrace *trace);
PETSC_EXTERN PetscErrorCode WalrasTraceLoadMooncakeJSONL(const char *path, WalrasTrace *trace);
PETSC_EXTERN PetscErrorCode WalrasTraceDestroy(WalrasTrace *trace);

/* Bins the trace over K intervals of lengths dt (sum T; requests at or after T
   are dropped and counted in *dropped).  Outputs are PetscMalloc'ed [K]
   arrays per unit time (count / dt[k] etc.); any may be NULL if not wanted. */
PETSC_EXTERN PetscErrorCode WalrasTraceBin(const WalrasTrace *trace, PetscInt K,
                                           const PetscReal dt[], PetscReal **arrival_rate,
                                           PetscReal **in_token_rate, PetscReal **out_token_rate,
                                           PetscInt *dropped);

/* One LLM provider as LLMPerf measured it (successful requests only). */
typedef struct {
  PetscInt  n_ok, n_failed;
  PetscReal concurrency;   /* requests in flight during the measurement (5 for the leaderboard) */
  PetscReal decode_tps;    /* median over requests of output tokens / end-to-end latency */
  PetscReal prefill_tps;   /* median over requests of input tokens / time to first token */
  PetscReal ttft_median_s; /* median time to first token */
  PetscReal e2e_median_s;  /* median end-to-end latency */
} WalrasProvider;

PETSC_EXTERN PetscErrorCode WalrasProviderLoadLLMPerf(const char *path, WalrasProvider *provider);

/* The ChatDev workflow unrolled into a DAG (docs/data.md says how). */
typedef struct {
  PetscInt   n_nodes, n_edges;
  char     **node_name;           /* [n_nodes] e.g. "CodeReviewComment#2" */
  char     **node_phase;          /* [n_nodes] phase name, e.g. "CodeReviewComment" */
  char     **node_role;           /* [n_nodes] assistant role that does the work */
  PetscReal *prompt_tokens;       /* [n_nodes] mean prompt tokens per visit of the node */
  PetscReal *completion_tokens;   /* [n_nodes] mean completion tokens per visit */
  PetscReal *visits;              /* [n_nodes] runs that visited the node */
  PetscInt  *edge_from, *edge_to; /* [n_edges], from = -1 is the start of a run */
  PetscReal *edge_count;          /* [n_edges] runs that took the edge */
  PetscInt   runs;                /* runs in the calls file */
  PetscInt   runs_skipped;        /* runs whose phases do not fit the chain (not counted above) */
} WalrasChatDevWorkflow;

PETSC_EXTERN PetscErrorCode WalrasChatDevWorkflowBuild(const char            *config_path,
                                                       const char            *calls_path,
                                                       WalrasChatDevWorkflow *workflow);
PETSC_EXTERN PetscErrorCode WalrasChatDevWorkflowDestroy(WalrasChatDevWorkflow *workflow);
