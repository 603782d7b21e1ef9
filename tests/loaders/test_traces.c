/* The request traces: the real files of runs/data and broken copies.

   Expected numbers were computed independently with python3 (csv and json
   modules) on the same files: rows, the last arrival (seconds after the
   first; the Azure fraction read as 7 digits), and the one-minute binning
   over T = 3420 s (57 whole minutes of the code trace), where bin k counts
   the requests with floor(t / 60) = k. */
#include "loader_test.h"

static void azure_code_real_file(void **state)
{
  WalrasTrace trace;

  assert_int_equal(
      WalrasTraceLoadAzureCSV(DataPath("azure/AzureLLMInferenceTrace_code.csv"), &trace), 0);
  assert_int_equal(trace.n, 8819); /* rows in ../shared/data/README.md */
  assert_true(trace.t[0] == 0.0);
  assert_true(trace.in_tokens[0] == 4808 && trace.out_tokens[0] == 10);
  /* 18:17:03.9799600 -> 19:14:19.9280160 */
  assert_true(fabs(trace.t[trace.n - 1] - 3435.948056) < 1e-6);
  /* mean arrival rate over the span: README 2.57 req/s, python 2.566686 */
  assert_true(fabs(trace.n / trace.t[trace.n - 1] - 2.566686) < 1e-6);
  for (PetscInt i = 1; i < trace.n; i++) assert_true(trace.t[i - 1] <= trace.t[i]);
  WalrasTraceDestroy(&trace);
}

static void azure_conv_real_file(void **state)
{
  WalrasTrace trace;

  assert_int_equal(
      WalrasTraceLoadAzureCSV(DataPath("azure/AzureLLMInferenceTrace_conv.csv"), &trace), 0);
  assert_int_equal(trace.n, 19366);
  assert_true(fabs(trace.t[trace.n - 1] - 3501.721937) < 1e-6);
  assert_true(fabs(trace.n / trace.t[trace.n - 1] - 5.530422) < 1e-6); /* README 5.53 */
  WalrasTraceDestroy(&trace);
}

static void mooncake_real_file(void **state)
{
  WalrasTrace trace;
  PetscReal   in = 0;

  assert_int_equal(
      WalrasTraceLoadMooncakeJSONL(DataPath("mooncake/conversation_trace.jsonl"), &trace), 0);
  assert_int_equal(trace.n, 12031);
  assert_true(trace.t[trace.n - 1] == 3536.999); /* 3,536,999 ms */
  for (PetscInt i = 0; i < trace.n; i++) in += trace.in_tokens[i];
  assert_true(in == 144793823.0); /* python: sum of input_length */
  assert_true(fabs(trace.n / trace.t[trace.n - 1] - 3.401471) < 1e-6); /* README 3.40 */
  WalrasTraceDestroy(&trace);
}

static void bins_the_code_trace_by_minute(void **state)
{
  WalrasTrace trace;
  PetscReal   dt[57], *rate, total = 0;
  PetscInt    dropped;

  for (int k = 0; k < 57; k++) dt[k] = 60;
  assert_int_equal(
      WalrasTraceLoadAzureCSV(DataPath("azure/AzureLLMInferenceTrace_code.csv"), &trace), 0);
  assert_int_equal(WalrasTraceBin(&trace, 57, dt, &rate, NULL, NULL, &dropped), 0);
  assert_int_equal(dropped, 196); /* arrivals in the last, partial minute */
  assert_true(fabs(rate[0] - 63 / 60.0) < 1e-12);
  assert_true(rate[1] == 0 && rate[2] == 0);        /* the code service is ON/OFF */
  assert_true(fabs(rate[14] - 632 / 60.0) < 1e-12); /* the peak minute */
  for (int k = 0; k < 57; k++) total += rate[k] * dt[k];
  assert_true(fabs(total - (8819 - 196)) < 1e-9);
  PetscFree(rate);
  WalrasTraceDestroy(&trace);
}

/* A hand-made trace: requests at 0, 0.5, 1, 2.5 and 10 s; intervals of 1, 1
   and 2 s.  Interval edges belong to the interval they start. */
static void bins_a_tiny_trace(void **state)
{
  PetscReal   t[] = {0, 0.5, 1, 2.5, 10}, in[] = {10, 20, 30, 40, 50}, out[] = {1, 2, 3, 4, 5};
  WalrasTrace trace = {5, t, in, out};
  PetscReal   dt[]  = {1, 1, 2}, *rate, *inr, *outr;
  PetscInt    dropped;

  assert_int_equal(WalrasTraceBin(&trace, 3, dt, &rate, &inr, &outr, &dropped), 0);
  assert_int_equal(dropped, 1);
  assert_true(rate[0] == 2 && rate[1] == 1 && rate[2] == 0.5);
  assert_true(inr[0] == 30 && inr[1] == 30 && inr[2] == 20);
  assert_true(outr[0] == 3 && outr[1] == 3 && outr[2] == 2);
  PetscFree(rate);
  PetscFree(inr);
  PetscFree(outr);
  dt[1] = 0;
  assert_int_equal(WalrasTraceBin(&trace, 3, dt, &rate, NULL, NULL, NULL), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "trace binning: interval 1 has length 0 (expected > 0)");
}

static void azure_sorts_unsorted_rows(void **state)
{
  WalrasTrace trace;
  const char *path = WriteTemp("unsorted.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                                               "2023-11-16 23:59:59.5,1,2\r\n"
                                               "2023-11-17 00:00:01,3,4\n"
                                               "2023-11-16 23:59:58.2500000,5,6\n");

  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), 0);
  assert_int_equal(trace.n, 3);
  assert_true(trace.t[0] == 0 && trace.in_tokens[0] == 5);
  assert_true(fabs(trace.t[1] - 1.25) < 1e-12 && trace.out_tokens[1] == 2);
  assert_true(fabs(trace.t[2] - 2.75) < 1e-12 && trace.in_tokens[2] == 3); /* across midnight */
  WalrasTraceDestroy(&trace);
}

static void azure_broken_copies(void **state)
{
  WalrasTrace trace;
  const char *path;
  char        want[1024];
  const char  header[] = "TIMESTAMP,ContextTokens,GeneratedTokens\n";
  char        text[512];

  snprintf(text, sizeof(text),
           "%s2023-11-16 18:17:03.9799600,4808,10\n"
           "2023-11-16 18:17:04.0319600,abc,8\n",
           header);
  path = WriteTemp("abc.csv", text);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:3: 'ContextTokens': expected a whole number >= 0, got 'abc'",
           path);
  assert_string_equal(last_error, want);

  snprintf(text, sizeof(text), "%s2023-11-16 18:17:03.9799600,4808,-10\n", header);
  path = WriteTemp("negative.csv", text);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:2: 'GeneratedTokens': expected a whole number >= 0, got '-10'",
           path);
  assert_string_equal(last_error, want);

  snprintf(text, sizeof(text), "%s2023-11-16 18:17:03.9799600,nan,1\n", header);
  path = WriteTemp("nan.csv", text);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:2: 'ContextTokens': expected a whole number >= 0, got 'nan'",
           path);
  assert_string_equal(last_error, want);

  snprintf(text, sizeof(text), "%s2023-11-16T18:17:03,1,1\n", header);
  path = WriteTemp("time.csv", text);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s:2: 'TIMESTAMP': expected YYYY-MM-DD HH:MM:SS[.fffffff], got '2023-11-16T18:17:03'",
           path);
  assert_string_equal(last_error, want);

  snprintf(text, sizeof(text), "%s2023-11-16 18:17:03,1\n", header);
  path = WriteTemp("short.csv", text);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s:2: expected 3 comma-separated fields (TIMESTAMP,ContextTokens,GeneratedTokens), got "
           "'2023-11-16 18:17:03,1'",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("header_only.csv", header);
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: no requests (expected at least one data row)", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("wrong_header.csv", "time,in,out\n1,2,3\n");
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s:1: header: expected 'TIMESTAMP,ContextTokens,GeneratedTokens', got 'time,in,out'",
           path);
  assert_string_equal(last_error, want);

  path = TempPath("missing.csv");
  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: cannot open the Azure trace (CSV): No such file or directory",
           path);
  assert_string_equal(last_error, want);
}

static void mooncake_broken_copies(void **state)
{
  WalrasTrace trace;
  const char *path;
  char        want[1024];

  path = WriteTemp("truncated.jsonl",
                   "{\"timestamp\": 0, \"input_length\": 6758, \"output_length\": 500}\n"
                   "{\"timestamp\": 3000, \"input_length\": 73\n");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(
      want, sizeof(want),
      "%s:2: expected one JSON object per line, got '{\"timestamp\": 3000, \"input_length\": 73'",
      path);
  assert_string_equal(last_error, want);

  path = WriteTemp("negative.jsonl",
                   "{\"timestamp\": 0, \"input_length\": -5, \"output_length\": 500}\n");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:1: 'input_length': expected a whole number >= 0, got '-5'",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("string.jsonl",
                   "{\"timestamp\": \"soon\", \"input_length\": 5, \"output_length\": 500}\n");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:1: 'timestamp': expected a number >= 0, got '\"soon\"'", path);
  assert_string_equal(last_error, want);

  path = WriteTemp("nokey.jsonl", "\n{\"timestamp\": 1, \"input_length\": 5}\n");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s:2: 'output_length': expected a whole number >= 0, got nothing (the key is missing)",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("empty.jsonl", "");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: no requests (expected at least one data row)", path);
  assert_string_equal(last_error, want);

  path = TempPath("missing.jsonl");
  assert_int_equal(WalrasTraceLoadMooncakeJSONL(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s: cannot open the Mooncake trace (JSONL): No such file or directory", path);
  assert_string_equal(last_error, want);
}

/* tests/inputs/data/tiny_trace.csv with each newline replaced by eol,
   written into the temporary folder as name. */
static const char *TinyTraceWithEndings(const char *name, const char *eol)
{
  const char *root = getenv("WALRAS_SOURCE_DIR");
  char        src[1024], text[4096];
  FILE       *in, *out;
  const char *path = TempPath(name);
  size_t      n;

  snprintf(src, sizeof(src), "%s/tests/inputs/data/tiny_trace.csv", root ? root : ".");
  in = fopen(src, "rb");
  assert_non_null(in);
  n = fread(text, 1, sizeof(text) - 1, in);
  fclose(in);
  assert_true(n > 0 && n < sizeof(text) - 1);
  out = fopen(path, "wb");
  assert_non_null(out);
  for (size_t i = 0; i < n; i++)
    if (text[i] == '\n')
      fputs(eol, out);
    else
      fputc(text[i], out);
  fclose(out);
  return path;
}

/* A trace saved with CRLF endings (Windows), or converted to CRLF twice
   (the Azure files already end their lines in \r\n), reads as the LF file. */
static void azure_crlf_copies_read_as_the_original(void **state)
{
  const char *eol[] = {"\r\n", "\r\r\n"};
  WalrasTrace lf, crlf;

  assert_int_equal(WalrasTraceLoadAzureCSV(TinyTraceWithEndings("lf.csv", "\n"), &lf), 0);
  assert_int_equal(lf.n, 8);
  for (int e = 0; e < 2; e++) {
    assert_int_equal(WalrasTraceLoadAzureCSV(TinyTraceWithEndings("crlf.csv", eol[e]), &crlf), 0);
    assert_int_equal(crlf.n, lf.n);
    for (PetscInt i = 0; i < lf.n; i++) {
      assert_true(crlf.t[i] == lf.t[i]);
      assert_true(crlf.in_tokens[i] == lf.in_tokens[i]);
      assert_true(crlf.out_tokens[i] == lf.out_tokens[i]);
    }
    WalrasTraceDestroy(&crlf);
  }
  WalrasTraceDestroy(&lf);
}

static void mooncake_crlf_copies_read(void **state)
{
  const char *text[] = {"{\"timestamp\": 0, \"input_length\": 7, \"output_length\": 5}\r\n"
                        "{\"timestamp\": 1500, \"input_length\": 8, \"output_length\": 6}\r\n",
                        "{\"timestamp\": 0, \"input_length\": 7, \"output_length\": 5}\r\r\n"
                        "\r\r\n"
                        "{\"timestamp\": 1500, \"input_length\": 8, \"output_length\": 6}\r\r\n"};
  WalrasTrace trace;

  for (int e = 0; e < 2; e++) {
    assert_int_equal(WalrasTraceLoadMooncakeJSONL(WriteTemp("crlf.jsonl", text[e]), &trace), 0);
    assert_int_equal(trace.n, 2);
    assert_true(trace.t[1] == 1.5 && trace.in_tokens[1] == 8 && trace.out_tokens[1] == 6);
    WalrasTraceDestroy(&trace);
  }
}

/* Bytes of a binary file are shown as \xNN in the message, not echoed raw. */
static void azure_binary_bytes_are_escaped(void **state)
{
  WalrasTrace trace;
  const char *path = WriteTemp("binary.csv", "\x01\x02\xff\x7f,TIME\tSTAMP\r\n1,2,3\n");
  char        want[1024];

  assert_int_equal(WalrasTraceLoadAzureCSV(path, &trace), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s:1: header: expected 'TIMESTAMP,ContextTokens,GeneratedTokens', got "
           "'\\x01\\x02\\xff\\x7f,TIME\\x09STAMP'",
           path);
  assert_string_equal(last_error, want);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(azure_code_real_file),
      cmocka_unit_test(azure_conv_real_file),
      cmocka_unit_test(mooncake_real_file),
      cmocka_unit_test(bins_the_code_trace_by_minute),
      cmocka_unit_test(bins_a_tiny_trace),
      cmocka_unit_test(azure_sorts_unsorted_rows),
      cmocka_unit_test(azure_broken_copies),
      cmocka_unit_test(mooncake_broken_copies),
      cmocka_unit_test(azure_crlf_copies_read_as_the_original),
      cmocka_unit_test(mooncake_crlf_copies_read),
      cmocka_unit_test(azure_binary_bytes_are_escaped),
  };

  return RunLoaderTests(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
