/* demand: spending shares s[k] and the arrival rate, from a trace or given. */
#include "scenario/scenario_impl.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const demand_keys[] = {"trace", "value", "shares", NULL};
static const char *const trace_keys[]  = {"format", "file", NULL};

PetscErrorCode WalrasScenarioDataPath(WalrasYAMLNode node, char *path, size_t len)
{
  const char *rel;
  WalrasWhere where = WalrasWhereOfNode(node);
  struct stat st;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(node, &rel));
  PetscCall(WalrasPathRelativeTo(WalrasYAMLPath(node.doc), rel, path, len));
  WalrasWhereCheck(access(path, R_OK) == 0, &where,
                   "expected a readable file, cannot open '%s': %s", path, strerror(errno));
  WalrasWhereCheck(stat(path, &st) != 0 || !S_ISDIR(st.st_mode), &where,
                   "expected a readable file, got the directory '%s'", path);
  PetscFunctionReturn(0);
}

/* s[k] = weight[k] / sum weight, where weight is what the scenario counts. */
static PetscErrorCode Normalise(const WalrasWhere *where, PetscInt K, PetscReal s[],
                                const char *if_zero)
{
  PetscReal sum = 0;

  PetscFunctionBegin;
  for (PetscInt k = 0; k < K; k++) sum += s[k];
  WalrasWhereCheck(sum > 0, where, "%s", if_zero);
  for (PetscInt k = 0; k < K; k++) s[k] /= sum;
  PetscFunctionReturn(0);
}

static PetscErrorCode LoadTrace(WalrasYAMLNode trace, WalrasTrace *data)
{
  WalrasYAMLNode format, file;
  const char    *fmt;
  char           path[PETSC_MAX_PATH_LEN];
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(trace, trace_keys));
  PetscCall(WalrasYAMLMapGet(trace, "format", PETSC_TRUE, &format));
  PetscCall(WalrasYAMLMapGet(trace, "file", PETSC_TRUE, &file));
  PetscCall(WalrasYAMLGetString(format, &fmt));
  where = WalrasWhereOfNode(format);
  WalrasWhereCheck(!strcmp(fmt, "azure_csv") || !strcmp(fmt, "mooncake_jsonl"), &where,
                   "expected azure_csv or mooncake_jsonl, got '%s'", fmt);
  PetscCall(WalrasScenarioDataPath(file, path, sizeof(path)));
  if (!strcmp(fmt, "azure_csv"))
    PetscCall(WalrasTraceLoadAzureCSV(path, data));
  else
    PetscCall(WalrasTraceLoadMooncakeJSONL(path, data));
  if (data->n == 0) PetscCall(WalrasTraceDestroy(data));
  where = WalrasWhereOfNode(file);
  WalrasWhereCheck(data->n > 0, &where, "expected a trace with requests, got no rows in '%s'",
                   path);
  PetscFunctionReturn(0);
}

/* Shares from a trace: value 'tasks' counts requests, 'tokens' counts prompt
   plus generated tokens; both per interval, from the rates times dt. */
static PetscErrorCode SharesFromTrace(WalrasYAMLNode demand, WalrasYAMLNode trace,
                                      WalrasScenario *sc)
{
  WalrasYAMLNode value;
  const char    *what = "tasks";
  WalrasTrace    data = {0};
  PetscReal     *in_rate, *out_rate;
  PetscInt       dropped;
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(demand, "value", PETSC_FALSE, &value));
  if (WalrasYAMLPresent(value)) PetscCall(WalrasYAMLGetString(value, &what));
  where = WalrasWhereOfNode(value);
  WalrasWhereCheck(!strcmp(what, "tasks") || !strcmp(what, "tokens"), &where,
                   "expected tasks or tokens, got '%s'", what);

  PetscCall(LoadTrace(trace, &data));
  PetscCall(WalrasTraceBin(&data, sc->K, sc->dt, &sc->arrivals, &in_rate, &out_rate, &dropped));
  PetscCall(WalrasTraceDestroy(&data));
  PetscCall(PetscMalloc1(sc->K, &sc->shares));
  for (PetscInt k = 0; k < sc->K; k++) {
    PetscReal rate = !strcmp(what, "tasks") ? sc->arrivals[k] : in_rate[k] + out_rate[k];

    sc->shares[k] = rate * sc->dt[k];
  }
  PetscCall(PetscFree(in_rate));
  PetscCall(PetscFree(out_rate));
  where = WalrasWhereOfNode(trace);
  PetscCall(Normalise(&where, sc->K, sc->shares,
                      "expected requests within the horizon [0, T), got none (all at or after T)"));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseDemand(WalrasYAMLNode demand, WalrasScenario *sc)
{
  WalrasYAMLNode trace, shares, value;
  WalrasWhere    where = WalrasWhereOfNode(demand);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(demand, demand_keys));
  PetscCall(WalrasYAMLMapGet(demand, "trace", PETSC_FALSE, &trace));
  PetscCall(WalrasYAMLMapGet(demand, "shares", PETSC_FALSE, &shares));
  WalrasWhereCheck(WalrasYAMLPresent(trace) != WalrasYAMLPresent(shares), &where, "%s",
                   WalrasYAMLPresent(trace) ? "expected trace or shares, got both"
                                            : "expected trace or shares, got neither");
  if (WalrasYAMLPresent(trace)) {
    PetscCall(SharesFromTrace(demand, trace, sc));
    PetscFunctionReturn(0);
  }

  /* Explicit shares: K numbers >= 0, normalised; no arrivals. */
  PetscCall(WalrasYAMLMapGet(demand, "value", PETSC_FALSE, &value));
  where = WalrasWhereOfNode(value);
  WalrasWhereCheck(!WalrasYAMLPresent(value), &where, "%s",
                   "expected no value without a trace (it says what a trace's shares count)");
  PetscCall(WalrasYAMLGetRealArray(shares, sc->K, &sc->shares, NULL));
  where = WalrasWhereOfNode(shares);
  for (PetscInt k = 0; k < sc->K; k++)
    WalrasWhereCheck(sc->shares[k] >= 0, &where,
                     "expected shares >= 0, got %.10g in interval %" PetscInt_FMT,
                     (double)sc->shares[k], k);
  PetscCall(
      Normalise(&where, sc->K, sc->shares, "expected shares with a positive sum, got all zero"));
  PetscFunctionReturn(0);
}
