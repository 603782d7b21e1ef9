/* The ChatDev workflow: the phase chain of ChatChainConfig.json unrolled into a
   DAG, with per-node work and per-edge traffic measured on the run logs in
   chatdev_llm_calls.csv.  docs/data.md describes the mapping. */

#include "loaders/loaders_impl.h"

#include <stdlib.h>
#include <string.h>

/* The unrolled chain, before the measurement. */
typedef struct {
  PetscInt   n, cap;
  char     **name, **phase;
  PetscBool *reflect; /* the phase has need_reflect: its Reflection calls belong to it */
} Chain;

/* One row of the calls file; the strings point into the file's text. */
typedef struct {
  const char *run, *phase, *role;
  PetscReal   call, prompt, completion;
} Call;

static PetscErrorCode ChainAdd(Chain *chain, const char *phase, PetscInt cycle, PetscBool reflect)
{
  char name[256];

  PetscFunctionBegin;
  if (chain->n == chain->cap) {
    PetscInt cap = 2 * chain->cap + 16;

    PetscCall(PetscRealloc(sizeof(char *) * cap, &chain->name));
    PetscCall(PetscRealloc(sizeof(char *) * cap, &chain->phase));
    PetscCall(PetscRealloc(sizeof(PetscBool) * cap, &chain->reflect));
    chain->cap = cap;
  }
  if (cycle > 0)
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s#%" PetscInt_FMT, phase, cycle));
  else
    PetscCall(PetscSNPrintf(name, sizeof(name), "%s", phase));
  PetscCall(PetscStrallocpy(name, &chain->name[chain->n]));
  PetscCall(PetscStrallocpy(phase, &chain->phase[chain->n]));
  chain->reflect[chain->n++] = reflect;
  PetscFunctionReturn(0);
}

static PetscErrorCode ChainDestroy(Chain *chain)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < chain->n; i++) {
    PetscCall(PetscFree(chain->name[i]));
    PetscCall(PetscFree(chain->phase[i]));
  }
  PetscCall(PetscFree(chain->name));
  PetscCall(PetscFree(chain->phase));
  PetscCall(PetscFree(chain->reflect));
  PetscFunctionReturn(0);
}

/* obj[key] as a string (required) or NULL (when optional and absent). */
static PetscErrorCode JSONString(const char *where, const cJSON *obj, const char *key,
                                 PetscBool required, const char **value)
{
  const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

  PetscFunctionBegin;
  *value = NULL;
  if (!item && !required) PetscFunctionReturn(0);
  WalrasCheckInput(cJSON_IsString(item), "%s.%s': expected a string, got %s", where, key,
                   item ? "another JSON value" : "nothing (the key is missing)");
  *value = item->valuestring;
  PetscFunctionReturn(0);
}

/* A SimplePhase object: its name and whether it reflects. */
static PetscErrorCode ReadSimple(const char *where, const cJSON *obj, const char **phase,
                                 PetscBool *reflect)
{
  const char *type, *flag;

  PetscFunctionBegin;
  WalrasCheckInput(cJSON_IsObject(obj), "%s': expected a JSON object", where);
  PetscCall(JSONString(where, obj, "phase", PETSC_TRUE, phase));
  PetscCall(JSONString(where, obj, "phaseType", PETSC_TRUE, &type));
  WalrasCheckInput(!strcmp(type, "SimplePhase"), "%s.phaseType': expected 'SimplePhase', got '%s'",
                   where, type);
  PetscCall(JSONString(where, obj, "need_reflect", PETSC_FALSE, &flag));
  WalrasCheckInput(!flag || !strcmp(flag, "True") || !strcmp(flag, "False"),
                   "%s.need_reflect': expected 'True' or 'False', got '%s'", where, flag);
  *reflect = (PetscBool)(flag && !strcmp(flag, "True"));
  PetscFunctionReturn(0);
}

/* A ComposedPhase: cycleNum copies of its Composition, cycles numbered from 1. */
static PetscErrorCode ReadComposed(const char *where, const cJSON *obj, Chain *chain)
{
  const cJSON *comp = cJSON_GetObjectItemCaseSensitive(obj, "Composition"), *sub;
  char         subwhere[PETSC_MAX_PATH_LEN + 64];
  PetscReal    cycles;
  PetscInt     n;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(subwhere, sizeof(subwhere), "%s'", where));
  PetscCall(WalrasLoaderJSONNumber(subwhere, obj, "cycleNum", PETSC_TRUE, PETSC_TRUE, &cycles));
  n = cJSON_GetArraySize(comp);
  WalrasCheckInput(cJSON_IsArray(comp) && n > 0,
                   "%s.Composition': expected a non-empty array of phases", where);
  for (PetscInt c = 1; c <= (PetscInt)cycles; c++) {
    PetscInt j = 0;

    cJSON_ArrayForEach(sub, comp)
    {
      const char *phase;
      PetscBool   reflect;

      PetscCall(PetscSNPrintf(subwhere, sizeof(subwhere), "%s.Composition[%" PetscInt_FMT "]",
                              where, j++));
      PetscCall(ReadSimple(subwhere, sub, &phase, &reflect));
      PetscCall(ChainAdd(chain, phase, c, reflect));
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadChain(const char *path, const cJSON *root, Chain *chain)
{
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(root, "chain"), *step;
  char         where[PETSC_MAX_PATH_LEN + 64];
  PetscInt     i = 0;

  PetscFunctionBegin;
  WalrasCheckInput(cJSON_IsArray(list) && cJSON_GetArraySize(list) > 0,
                   "%s: 'chain': expected a non-empty array of phases", path);
  cJSON_ArrayForEach(step, list)
  {
    const char *type, *phase;
    PetscBool   reflect;

    PetscCall(PetscSNPrintf(where, sizeof(where), "%s: 'chain[%" PetscInt_FMT "]", path, i++));
    WalrasCheckInput(cJSON_IsObject(step), "%s': expected a JSON object", where);
    PetscCall(JSONString(where, step, "phaseType", PETSC_TRUE, &type));
    if (!strcmp(type, "ComposedPhase"))
      PetscCall(ReadComposed(where, step, chain));
    else {
      PetscCall(ReadSimple(where, step, &phase, &reflect));
      PetscCall(ChainAdd(chain, phase, 0, reflect));
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadChain(const char *path, Chain *chain)
{
  char          *text;
  cJSON         *root;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(WalrasReadTextFile(path, "the ChatDev chain (ChatChainConfig.json)", &text, NULL));
  root = cJSON_Parse(text);
  PetscCall(PetscFree(text));
  if (!cJSON_IsObject(root)) {
    cJSON_Delete(root);
    WalrasInputError("%s: expected a JSON object with a 'chain' array", path);
  }
  ierr = ReadChain(path, root, chain);
  cJSON_Delete(root);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

/* The columns of the calls file that the mapping uses. */
static const char *const call_columns[] = {"run_id",         "call_idx",      "phase_name",
                                           "assistant_role", "prompt_tokens", "completion_tokens"};
#define N_CALL_COLUMNS 6
#define MAX_FIELDS 64

/* Splits a line at its commas, in place (the file quotes no field). */
static PetscInt SplitCSV(char *line, char *field[MAX_FIELDS])
{
  PetscInt n = 0;

  field[n++] = line;
  for (char *c = line; *c; c++)
    if (*c == ',') {
      *c = '\0';
      if (n == MAX_FIELDS) return MAX_FIELDS + 1;
      field[n++] = c + 1;
    }
  return n;
}

static PetscErrorCode ReadHeader(const char *path, char *line, PetscInt *n_fields,
                                 PetscInt column[N_CALL_COLUMNS])
{
  char *field[MAX_FIELDS];

  PetscFunctionBegin;
  WalrasCheckInput(line, "%s: no calls (expected a header and at least one data row)", path);
  *n_fields = SplitCSV(line, field);
  WalrasCheckInput(*n_fields <= MAX_FIELDS, "%s:1: header: more than %d columns", path, MAX_FIELDS);
  for (PetscInt c = 0; c < N_CALL_COLUMNS; c++) {
    column[c] = -1;
    for (PetscInt f = 0; f < *n_fields; f++)
      if (!strcmp(field[f], call_columns[c])) column[c] = f;
    WalrasCheckInput(column[c] >= 0, "%s:1: header: expected a column '%s', got none", path,
                     call_columns[c]);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadCall(const char *path, PetscInt lineno, char *line, PetscInt n_fields,
                               const PetscInt column[N_CALL_COLUMNS], Call *call)
{
  char       *field[MAX_FIELDS], shown[64];
  PetscInt    n           = SplitCSV(line, field);
  PetscReal  *number[3]   = {&call->call, &call->prompt, &call->completion};
  const char *numbered[3] = {"call_idx", "prompt_tokens", "completion_tokens"};

  PetscFunctionBegin;
  WalrasCheckInput(n == n_fields,
                   "%s:%" PetscInt_FMT ": expected %" PetscInt_FMT
                   " comma-separated fields (as in the header), got %" PetscInt_FMT,
                   path, lineno, n_fields, n);
  call->run   = field[column[0]];
  call->phase = field[column[2]];
  call->role  = field[column[3]];
  for (PetscInt i = 0; i < 3; i++) {
    const char *value = field[column[i == 0 ? 1 : i + 3]];

    WalrasCheckInput(WalrasLoaderParseCount(value, number[i]),
                     "%s:%" PetscInt_FMT ": '%s': expected a whole number >= 0, got '%s'", path,
                     lineno, numbered[i], WalrasLoaderExcerpt(value, shown));
  }
  WalrasCheckInput(*call->run, "%s:%" PetscInt_FMT ": 'run_id': expected a name, got ''", path,
                   lineno);
  PetscFunctionReturn(0);
}

/* Reads every call; *text holds the strings the calls point to (free it after
   them). */
static PetscErrorCode LoadCalls(const char *path, char **text, PetscInt *n, Call **calls)
{
  char    *cursor, *line;
  PetscInt lineno = 1, cap = 1, n_fields, column[N_CALL_COLUMNS];

  PetscFunctionBegin;
  PetscCall(WalrasReadTextFile(path, "the ChatDev calls (CSV)", text, NULL));
  for (const char *c = *text; *c; c++) cap += (*c == '\n');
  PetscCall(PetscMalloc1(cap, calls));
  cursor = *text;
  *n     = 0;
  PetscCall(ReadHeader(path, WalrasLoaderNextLine(&cursor), &n_fields, column));
  while ((line = WalrasLoaderNextLine(&cursor))) {
    lineno++;
    if (!*line) continue;
    PetscCall(ReadCall(path, lineno, line, n_fields, column, &(*calls)[*n]));
    (*n)++;
  }
  WalrasCheckInput(*n > 0, "%s: no requests (expected at least one data row)", path);
  PetscFunctionReturn(0);
}

static int CompareCalls(const void *a, const void *b)
{
  const Call *x = a, *y = b;
  int         c = strcmp(x->run, y->run);

  return c ? c : (x->call > y->call) - (x->call < y->call);
}

/* Sums over the runs that fit the chain, per node of the unrolled chain. */
typedef struct {
  PetscInt   n;                            /* nodes of the unrolled chain */
  PetscReal *visits, *prompt, *completion; /* [n] */
  PetscReal *edges;                        /* [(n + 1) * n], row from + 1: from = -1 is the start */
  PetscInt   runs, skipped;
} Tally;

/* The first node after cur that runs phase, or -1.  Taking the first one is
   what makes a return to the first phase of a composed loop its next cycle,
   and what rejects a phase that comes earlier in the chain. */
static PetscInt NextNode(const Chain *chain, PetscInt cur, const char *phase)
{
  for (PetscInt i = cur + 1; i < chain->n; i++)
    if (!strcmp(chain->phase[i], phase)) return i;
  return -1;
}

/* Maps the calls of one run (sorted by call_idx) to a path through the
   unrolled chain and adds it to the tally, or counts the run as skipped. */
static PetscErrorCode MapRun(const Chain *chain, PetscInt n, const Call *calls, PetscInt path[],
                             PetscReal prompt[], PetscReal completion[], Tally *tally)
{
  PetscInt len = 0, prev = -1;

  PetscFunctionBegin;
  tally->runs++;
  for (PetscInt i = 0; i < n; i++) {
    const char *phase = calls[i].phase;
    PetscInt    last  = len ? path[len - 1] : -1;

    if (!*phase) continue; /* the prompt-engineering call before any phase */
    /* a repeated phase, or the reflection step of a need_reflect phase, is the same visit */
    if (len && (!strcmp(chain->phase[last], phase) ||
                (!strcmp(phase, "Reflection") && chain->reflect[last]))) {
      prompt[len - 1] += calls[i].prompt;
      completion[len - 1] += calls[i].completion;
      continue;
    }
    path[len] = NextNode(chain, last, phase);
    if (path[len] < 0) {
      tally->skipped++;
      PetscFunctionReturn(0);
    }
    prompt[len]       = calls[i].prompt;
    completion[len++] = calls[i].completion;
  }
  if (!len) {
    tally->skipped++;
    PetscFunctionReturn(0);
  }

  for (PetscInt j = 0; j < len; j++) {
    tally->visits[path[j]] += 1;
    tally->prompt[path[j]] += prompt[j];
    tally->completion[path[j]] += completion[j];
    tally->edges[(prev + 1) * tally->n + path[j]] += 1;
    prev = path[j];
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode TallyRuns(const Chain *chain, PetscInt n, Call *calls, Tally *tally)
{
  PetscInt  *path;
  PetscReal *prompt, *completion;

  PetscFunctionBegin;
  tally->n = chain->n;
  PetscCall(PetscCalloc4(chain->n, &tally->visits, chain->n, &tally->prompt, chain->n,
                         &tally->completion, (chain->n + 1) * chain->n, &tally->edges));
  PetscCall(PetscMalloc3(n, &path, n, &prompt, n, &completion));
  qsort(calls, (size_t)n, sizeof(*calls), CompareCalls);
  for (PetscInt start = 0, end; start < n; start = end) {
    for (end = start + 1; end < n && !strcmp(calls[end].run, calls[start].run); end++) {
    }
    PetscCall(MapRun(chain, end - start, calls + start, path, prompt, completion, tally));
  }
  PetscCall(PetscFree3(path, prompt, completion));
  PetscFunctionReturn(0);
}

/* The assistant role seen most often in the calls of phase (the first one seen
   wins a tie); "" when no call has that phase. */
static const char *MostFrequentRole(PetscInt n, const Call *calls, const char *phase)
{
  const char *best  = "";
  PetscInt    count = 0;

  for (PetscInt i = 0; i < n; i++) {
    PetscInt  c     = 0;
    PetscBool first = PETSC_TRUE;

    if (strcmp(calls[i].phase, phase)) continue;
    for (PetscInt j = 0; j < i && first; j++)
      if (!strcmp(calls[j].phase, phase) && !strcmp(calls[j].role, calls[i].role))
        first = PETSC_FALSE;
    if (!first) continue;
    for (PetscInt j = i; j < n; j++)
      if (!strcmp(calls[j].phase, phase) && !strcmp(calls[j].role, calls[i].role)) c++;
    if (c > count) {
      count = c;
      best  = calls[i].role;
    }
  }
  return best;
}

/* Copies the visited nodes and the taken edges into the workflow. */
static PetscErrorCode FillWorkflow(const Chain *chain, const Tally *tally, PetscInt n_calls,
                                   const Call *calls, WalrasChatDevWorkflow *wf)
{
  PetscInt *renumber, n = chain->n, m = 0, e = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &renumber));
  for (PetscInt i = 0; i < n; i++) renumber[i] = tally->visits[i] > 0 ? m++ : -1;
  for (PetscInt i = 0; i < (n + 1) * n; i++) e += tally->edges[i] > 0;
  wf->n_nodes = m;
  wf->n_edges = e;
  PetscCall(PetscMalloc6(m, &wf->node_name, m, &wf->node_phase, m, &wf->node_role, m,
                         &wf->prompt_tokens, m, &wf->completion_tokens, m, &wf->visits));
  PetscCall(PetscMalloc3(e, &wf->edge_from, e, &wf->edge_to, e, &wf->edge_count));

  for (PetscInt i = 0; i < n; i++) {
    PetscInt k = renumber[i];

    if (k < 0) continue;
    PetscCall(PetscStrallocpy(chain->name[i], &wf->node_name[k]));
    PetscCall(PetscStrallocpy(chain->phase[i], &wf->node_phase[k]));
    PetscCall(
        PetscStrallocpy(MostFrequentRole(n_calls, calls, chain->phase[i]), &wf->node_role[k]));
    wf->visits[k]            = tally->visits[i];
    wf->prompt_tokens[k]     = tally->prompt[i] / tally->visits[i];
    wf->completion_tokens[k] = tally->completion[i] / tally->visits[i];
  }

  e = 0;
  for (PetscInt from = -1; from < n; from++)
    for (PetscInt to = 0; to < n; to++) {
      PetscReal count = tally->edges[(from + 1) * n + to];

      if (count <= 0) continue;
      wf->edge_from[e]    = from < 0 ? -1 : renumber[from];
      wf->edge_to[e]      = renumber[to];
      wf->edge_count[e++] = count;
    }
  PetscCall(PetscFree(renumber));
  PetscFunctionReturn(0);
}

/*@ WalrasChatDevWorkflowBuild - the ChatDev workflow as a DAG with measured work.

  Not collective.  Reads the phase chain of config_path (ChatChainConfig.json)
  and unrolls every ComposedPhase into cycleNum copies of its composition; maps
  each run of calls_path onto a path through that chain (docs/data.md).  Runs
  that do not fit are counted in runs_skipped; nodes that no run visits are
  left out.  The workflow owns its arrays: free them with
  WalrasChatDevWorkflowDestroy(). @*/
PetscErrorCode WalrasChatDevWorkflowBuild(const char *config_path, const char *calls_path,
                                          WalrasChatDevWorkflow *workflow)
{
  Chain          chain   = {0};
  Tally          tally   = {0};
  Call          *calls   = NULL;
  char          *text    = NULL;
  PetscInt       n_calls = 0;
  PetscBool      none_fit;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(workflow, sizeof(*workflow)));
  ierr = LoadChain(config_path, &chain);
  if (!ierr) ierr = LoadCalls(calls_path, &text, &n_calls, &calls);
  if (!ierr) ierr = TallyRuns(&chain, n_calls, calls, &tally);
  none_fit = (PetscBool)(!ierr && tally.runs == tally.skipped);
  if (!ierr && !none_fit) ierr = FillWorkflow(&chain, &tally, n_calls, calls, workflow);
  workflow->runs         = tally.runs;
  workflow->runs_skipped = tally.skipped;

  PetscCall(PetscFree4(tally.visits, tally.prompt, tally.completion, tally.edges));
  PetscCall(PetscFree(calls));
  PetscCall(PetscFree(text));
  PetscCall(ChainDestroy(&chain));
  PetscCall(ierr);
  WalrasCheckInput(!none_fit, "%s: none of its %" PetscInt_FMT " runs fits the chain of %s",
                   calls_path, workflow->runs, config_path);
  PetscFunctionReturn(0);
}

/*@ WalrasChatDevWorkflowDestroy - frees what WalrasChatDevWorkflowBuild() made.

  Not collective. @*/
PetscErrorCode WalrasChatDevWorkflowDestroy(WalrasChatDevWorkflow *workflow)
{
  PetscFunctionBegin;
  if (!workflow) PetscFunctionReturn(0);
  for (PetscInt i = 0; i < workflow->n_nodes; i++) {
    PetscCall(PetscFree(workflow->node_name[i]));
    PetscCall(PetscFree(workflow->node_phase[i]));
    PetscCall(PetscFree(workflow->node_role[i]));
  }
  PetscCall(PetscFree6(workflow->node_name, workflow->node_phase, workflow->node_role,
                       workflow->prompt_tokens, workflow->completion_tokens, workflow->visits));
  PetscCall(PetscFree3(workflow->edge_from, workflow->edge_to, workflow->edge_count));
  PetscCall(PetscMemzero(workflow, sizeof(*workflow)));
  PetscFunctionReturn(0);
}
