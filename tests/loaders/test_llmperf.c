/* LLMPerf provider measurements.

   Expected medians were computed independently with python3:
     d = json.load(open(f)); ok = [r for r in d if r['error_code'] is None]
     statistics.median(r['number_output_tokens'] / r['end_to_end_latency_s'] for r in ok)
     statistics.median(r['number_input_tokens'] / r['ttft_s'] for r in ok)
   groq: decode 186.2931232670 tok/s (the leaderboard's 186.3 in
   ../shared/data/README.md), prefill 2478.7314944320, TTFT 0.2218883792 s,
   E2E 0.8051837999 s; together: decode 64.8437908860, prefill 865.7672639933;
   fireworks: decode 39.9940382372, prefill 1064.6561646484. */
#include "loader_test.h"

static void close_to(PetscReal got, PetscReal want)
{
  assert_true(fabs(got - want) < 1e-8 * want);
}

static void groq_real_file(void **state)
{
  WalrasProvider p;

  assert_int_equal(WalrasProviderLoadLLMPerf(DataPath("llmperf/groq_70b.json"), &p), 0);
  assert_int_equal(p.n_ok, 150);
  assert_int_equal(p.n_failed, 0);
  assert_true(p.concurrency == 5);
  close_to(p.decode_tps, 186.2931232670);
  close_to(p.prefill_tps, 2478.7314944320);
  close_to(p.ttft_median_s, 0.2218883792);
  close_to(p.e2e_median_s, 0.8051837999);
}

static void together_and_fireworks_real_files(void **state)
{
  WalrasProvider p;

  assert_int_equal(WalrasProviderLoadLLMPerf(DataPath("llmperf/together_70b.json"), &p), 0);
  close_to(p.decode_tps, 64.8437908860);
  close_to(p.prefill_tps, 865.7672639933);
  assert_int_equal(WalrasProviderLoadLLMPerf(DataPath("llmperf/fireworks_70b.json"), &p), 0);
  close_to(p.decode_tps, 39.9940382372);
  close_to(p.prefill_tps, 1064.6561646484);
}

#define REQ(code, in, out, ttft, e2e)                                                              \
  "{\"error_code\": " code ", \"number_input_tokens\": " in ", \"number_output_tokens\": " out     \
  ", \"ttft_s\": " ttft ", \"end_to_end_latency_s\": " e2e "}"

/* Failed requests are counted and left out; an even count takes the mean of
   the two middle values. */
static void skips_failed_requests(void **state)
{
  WalrasProvider p;
  const char    *path =
      WriteTemp("mixed.json", "[" REQ("null", "500", "100", "0.5", "2") ", " REQ(
                                  "429", "\"x\"", "\"y\"", "\"z\"",
                                  "\"w\"") ", " REQ("null", "600", "300", "1", "3") "]");

  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), 0);
  assert_int_equal(p.n_ok, 2);
  assert_int_equal(p.n_failed, 1);
  assert_true(p.decode_tps == 0.5 * (50 + 100));    /* 100/2 and 300/3 */
  assert_true(p.prefill_tps == 0.5 * (1000 + 600)); /* 500/0.5 and 600/1 */
  assert_true(p.e2e_median_s == 2.5);
}

static void broken_copies(void **state)
{
  WalrasProvider p;
  const char    *path;
  char           want[1024];

  path = WriteTemp("negative.json", "[" REQ("null", "500", "100", "0.5",
                                            "2") ",\n" REQ("null", "500", "-100", "0.5", "2") "]");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s: request 1: 'number_output_tokens': expected a whole number >= 0, got '-100'", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("zero.json", "[" REQ("null", "500", "100", "0", "2") "]");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: request 0: 'ttft_s': expected a number > 0, got '0'", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("truncated.json",
                   "[\n" REQ("null", "500", "100", "0.5", "2") ",\n{\"error_code\": nu");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:3: not valid JSON (expected an array of requests)", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("empty.json", "[]\n");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: no requests (expected a non-empty JSON array)", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("all_failed.json", "[" REQ("429", "0", "0", "0", "0") "]");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: no successful requests (all 1 have an error_code)", path);
  assert_string_equal(last_error, want);

  path = TempPath("missing.json");
  assert_int_equal(WalrasProviderLoadLLMPerf(path, &p), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s: cannot open the LLMPerf measurements (JSON): No such file or directory", path);
  assert_string_equal(last_error, want);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(groq_real_file),
      cmocka_unit_test(together_and_fireworks_real_files),
      cmocka_unit_test(skips_failed_requests),
      cmocka_unit_test(broken_copies),
  };

  return RunLoaderTests(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
