/* LLMPerf per-request measurements (ray-project/llmperf-leaderboard,
   raw_data/individual/<provider>_70b.json): a JSON array of requests. */

#include "loaders/loaders_impl.h"

/* Requests LLMPerf kept in flight while it measured the leaderboard: the
   leaderboard README (summarised in ../shared/data/README.md, section 3) says
   every provider was run with 150 requests at concurrency 5.  A per-stream
   rate times this number is the throughput the provider sustained. */
#define WALRAS_LLMPERF_CONCURRENCY 5.0

typedef struct {
  PetscReal *decode, *prefill, *ttft, *e2e;
} Samples;

/* Reads request i; *ok tells whether it succeeded (error_code null or absent). */
static PetscErrorCode ReadRequest(const char *path, PetscInt i, const cJSON *req, PetscInt n_ok,
                                  Samples *s, PetscBool *ok)
{
  char         where[PETSC_MAX_PATH_LEN + 32];
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(req, "error_code");
  PetscReal    in, out, ttft, e2e;

  PetscFunctionBegin;
  PetscCall(PetscSNPrintf(where, sizeof(where), "%s: request %" PetscInt_FMT, path, i));
  WalrasCheckInput(cJSON_IsObject(req), "%s: expected a JSON object", where);
  *ok = (PetscBool)(!code || cJSON_IsNull(code));
  if (!*ok) PetscFunctionReturn(0);
  PetscCall(
      WalrasLoaderJSONNumber(where, req, "number_input_tokens", PETSC_TRUE, PETSC_FALSE, &in));
  PetscCall(
      WalrasLoaderJSONNumber(where, req, "number_output_tokens", PETSC_TRUE, PETSC_FALSE, &out));
  PetscCall(WalrasLoaderJSONNumber(where, req, "ttft_s", PETSC_FALSE, PETSC_TRUE, &ttft));
  PetscCall(
      WalrasLoaderJSONNumber(where, req, "end_to_end_latency_s", PETSC_FALSE, PETSC_TRUE, &e2e));
  s->decode[n_ok]  = out / e2e;
  s->prefill[n_ok] = in / ttft;
  s->ttft[n_ok]    = ttft;
  s->e2e[n_ok]     = e2e;
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadRequests(const char *path, const cJSON *root, WalrasProvider *provider)
{
  PetscInt     n = cJSON_GetArraySize(root), i = 0;
  Samples      s;
  const cJSON *req;

  PetscFunctionBegin;
  WalrasCheckInput(n > 0, "%s: no requests (expected a non-empty JSON array)", path);
  PetscCall(PetscMalloc4(n, &s.decode, n, &s.prefill, n, &s.ttft, n, &s.e2e));
  cJSON_ArrayForEach(req, root)
  {
    PetscBool      ok;
    PetscErrorCode ierr = ReadRequest(path, i++, req, provider->n_ok, &s, &ok);

    if (ierr) PetscCall(PetscFree4(s.decode, s.prefill, s.ttft, s.e2e));
    PetscCall(ierr);
    if (ok)
      provider->n_ok++;
    else
      provider->n_failed++;
  }
  if (provider->n_ok > 0) {
    provider->decode_tps    = WalrasLoaderMedian(provider->n_ok, s.decode);
    provider->prefill_tps   = WalrasLoaderMedian(provider->n_ok, s.prefill);
    provider->ttft_median_s = WalrasLoaderMedian(provider->n_ok, s.ttft);
    provider->e2e_median_s  = WalrasLoaderMedian(provider->n_ok, s.e2e);
  }
  PetscCall(PetscFree4(s.decode, s.prefill, s.ttft, s.e2e));
  WalrasCheckInput(provider->n_ok > 0,
                   "%s: no successful requests (all %" PetscInt_FMT " have an error_code)", path,
                   provider->n_failed);
  PetscFunctionReturn(0);
}

/* Line of the text at which cJSON stopped parsing. */
static PetscInt LineOf(const char *text, const char *at)
{
  PetscInt line = 1;

  for (const char *c = text; at && c < at && *c; c++) line += (*c == '\n');
  return line;
}

/*@ WalrasProviderLoadLLMPerf - per-stream speeds of one provider from LLMPerf.

  Not collective.  Requests with a non-null error_code are counted in n_failed
  and otherwise ignored; the medians are over the successful ones (at least
  one is required).  concurrency is the leaderboard's 5: a scenario's
  capacity per replica is concurrency times the medians. @*/
PetscErrorCode WalrasProviderLoadLLMPerf(const char *path, WalrasProvider *provider)
{
  char          *text;
  cJSON         *root;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(PetscMemzero(provider, sizeof(*provider)));
  provider->concurrency = WALRAS_LLMPERF_CONCURRENCY;
  PetscCall(WalrasReadTextFile(path, "the LLMPerf measurements (JSON)", &text, NULL));
  root = cJSON_Parse(text);
  if (!root) {
    PetscInt line = LineOf(text, cJSON_GetErrorPtr());

    PetscCall(PetscFree(text));
    WalrasInputError("%s:%" PetscInt_FMT ": not valid JSON (expected an array of requests)", path,
                     line);
  }
  if (!cJSON_IsArray(root)) {
    cJSON_Delete(root);
    PetscCall(PetscFree(text));
    WalrasInputError("%s: expected a JSON array of requests, got another kind of JSON value", path);
  }
  PetscCall(PetscFree(text));
  ierr = ReadRequests(path, root, provider);
  cJSON_Delete(root);
  PetscCall(ierr);
  PetscFunctionReturn(0);
}
