/* The YAML layer reports file, line and key for every malformed value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <walras/yaml.h>

static char last_error[1024];

static PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun, const char *file,
                                   PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(last_error, sizeof(last_error), "%s", mess);
  return n;
}

static const char text[] = "name: test\n"
                           "horizon:\n"
                           "  T: 3600\n"
                           "  K: twelve\n"
                           "gamma: nan\n"
                           "list: [1, 2, 3]\n";

static void reads_numbers_and_lists(void **state)
{
  WalrasYAML     doc;
  WalrasYAMLNode root, node, horizon;
  PetscReal      T, *list;
  PetscInt       n;

  assert_int_equal(WalrasYAMLLoadString("t.yaml", text, &doc), 0);
  root = WalrasYAMLRoot(doc);
  assert_int_equal(WalrasYAMLMapGet(root, "horizon", PETSC_TRUE, &horizon), 0);
  assert_int_equal(WalrasYAMLMapGet(horizon, "T", PETSC_TRUE, &node), 0);
  assert_int_equal(WalrasYAMLGetReal(node, &T), 0);
  assert_true(T == 3600.0);
  assert_int_equal(WalrasYAMLLine(node), 3);
  assert_int_equal(WalrasYAMLMapGet(root, "list", PETSC_TRUE, &node), 0);
  assert_int_equal(WalrasYAMLGetRealArray(node, -1, &list, &n), 0);
  assert_int_equal(n, 3);
  assert_true(list[2] == 3.0);
  PetscFree(list);
  WalrasYAMLDestroy(&doc);
}

static void names_file_line_and_key(void **state)
{
  WalrasYAML     doc;
  WalrasYAMLNode root, node, horizon;
  PetscInt       K;
  PetscReal      g;

  assert_int_equal(WalrasYAMLLoadString("t.yaml", text, &doc), 0);
  root = WalrasYAMLRoot(doc);
  WalrasYAMLMapGet(root, "horizon", PETSC_TRUE, &horizon);
  WalrasYAMLMapGet(horizon, "K", PETSC_TRUE, &node);
  assert_int_equal(WalrasYAMLGetInt(node, &K), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "t.yaml:4: 'horizon.K': expected a whole number, got 'twelve'");
  WalrasYAMLMapGet(root, "gamma", PETSC_TRUE, &node);
  assert_int_equal(WalrasYAMLGetReal(node, &g), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "t.yaml:5: 'gamma': expected a finite number, got 'nan'");
  assert_int_equal(WalrasYAMLMapGet(horizon, "dt", PETSC_TRUE, &node), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "t.yaml:3: 'horizon' is missing a required key 'dt'");
  WalrasYAMLDestroy(&doc);
}

static void rejects_unknown_keys(void **state)
{
  WalrasYAML         doc;
  static const char *allowed[] = {"name", "horizon", "list", NULL};

  assert_int_equal(WalrasYAMLLoadString("t.yaml", text, &doc), 0);
  assert_int_equal(WalrasYAMLMapCheckKeys(WalrasYAMLRoot(doc), allowed), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error,
                      "t.yaml:5: '(top level)': unknown key 'gamma' (expected one of: name, "
                      "horizon, list)");
  WalrasYAMLDestroy(&doc);
}

static void reports_syntax_errors(void **state)
{
  WalrasYAML doc;

  assert_int_equal(WalrasYAMLLoadString("bad.yaml", "a: [1, 2\nb: 3\n", &doc),
                   PETSC_ERR_USER_INPUT);
  assert_non_null(strstr(last_error, "bad.yaml:"));
  assert_non_null(strstr(last_error, "not valid YAML"));
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(reads_numbers_and_lists),
      cmocka_unit_test(names_file_line_and_key),
      cmocka_unit_test(rejects_unknown_keys),
      cmocka_unit_test(reports_syntax_errors),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  PetscPushErrorHandler(CaptureError, NULL);
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  PetscPopErrorHandler();
  PetscFinalize();
  return failed;
}
