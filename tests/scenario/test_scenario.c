/* Scenario files: every bad input in tests/inputs/bad stops with the exact
   message its second line states, and the good inputs parse to the values
   written in them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include <cmocka.h>
#include <walras/scenario.h>

static char last_error[2048];
static char source_dir[PETSC_MAX_PATH_LEN];

static PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun, const char *file,
                                   PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(last_error, sizeof(last_error), "%s", mess);
  return n;
}

static void InputPath(char *out, size_t len, const char *rel)
{
  assert_true(snprintf(out, len, "%s/tests/inputs/%s", source_dir, rel) < (int)len);
}

/* Replaces each 'from' in text (in place, size len) by 'to'. */
static void Substitute(char *text, size_t len, const char *from, const char *to)
{
  char   out[2048] = "", *at, *rest = text;
  size_t used = 0;

  while ((at = strstr(rest, from))) {
    used += (size_t)snprintf(out + used, sizeof(out) - used, "%.*s%s", (int)(at - rest), rest, to);
    rest = at + strlen(from);
  }
  snprintf(out + used, sizeof(out) - used, "%s", rest);
  snprintf(text, len, "%s", out);
}

/* The message a bad file announces on its second line, "# error: ...", with
   @FILE@ and @DIR@ standing for its path and its folder. */
static void ExpectedMessage(const char *path, char *out, size_t len)
{
  FILE *fp = fopen(path, "r");
  char  line[2048], dir[PETSC_MAX_PATH_LEN];

  assert_non_null(fp);
  assert_non_null(fgets(line, sizeof(line), fp));
  assert_non_null(fgets(line, sizeof(line), fp));
  fclose(fp);
  assert_memory_equal(line, "# error: ", 9);
  line[strcspn(line, "\n")] = '\0';
  snprintf(out, len, "%s", line + 9);
  snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
  Substitute(out, len, "@FILE@", path);
  Substitute(out, len, "@DIR@", dir);
}

static void every_bad_input_gives_its_exact_message(void **state)
{
  char           dir[PETSC_MAX_PATH_LEN];
  DIR           *d;
  struct dirent *entry;
  int            n = 0;

  InputPath(dir, sizeof(dir), "bad");
  d = opendir(dir);
  assert_non_null(d);
  while ((entry = readdir(d))) {
    char            path[PETSC_MAX_PATH_LEN], expected[2048];
    size_t          len = strlen(entry->d_name);
    WalrasScenario *sc  = NULL;

    if (len < 5 || strcmp(entry->d_name + len - 5, ".yaml")) continue;
    assert_true(snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name) < (int)sizeof(path));
    ExpectedMessage(path, expected, sizeof(expected));
    last_error[0] = '\0';
    print_message("%s\n", entry->d_name);
    assert_int_equal(WalrasScenarioLoad(path, &sc), PETSC_ERR_USER_INPUT);
    assert_null(sc);
    assert_string_equal(last_error, expected);
    n++;
  }
  closedir(d);
  assert_true(n >= 20);
}

static void missing_scenario_file_is_named(void **state)
{
  char            path[PETSC_MAX_PATH_LEN], expected[2200];
  WalrasScenario *sc;

  InputPath(path, sizeof(path), "bad/no_such_scenario.yaml");
  assert_int_equal(WalrasScenarioLoad(path, &sc), PETSC_ERR_USER_INPUT);
  assert_true(snprintf(expected, sizeof(expected),
                       "%s: cannot open the scenario file: No such file or directory",
                       path) < (int)sizeof(expected));
  assert_string_equal(last_error, expected);
}

static void scenario_that_is_a_directory_is_named(void **state)
{
  char            path[PETSC_MAX_PATH_LEN], expected[2200];
  WalrasScenario *sc = NULL;

  InputPath(path, sizeof(path), "data");
  assert_int_equal(WalrasScenarioLoad(path, &sc), PETSC_ERR_USER_INPUT);
  assert_null(sc);
  assert_true(snprintf(expected, sizeof(expected),
                       "%s: expected a file (the scenario file), got a directory",
                       path) < (int)sizeof(expected));
  assert_string_equal(last_error, expected);
}

static void assert_close(PetscReal a, PetscReal b)
{
  assert_true(PetscAbsReal(a - b) <= 1e-12 * (1 + PetscAbsReal(b)));
}

static void tiny_parses_to_its_values(void **state)
{
  char                 path[PETSC_MAX_PATH_LEN];
  WalrasScenario      *sc;
  PetscReal            sum  = 0;
  const PetscInt       plan = 0, code = 1, test = 2, review = 3;
  const PetscReal      shares[4]      = {1 / 8., 1 / 8., 2 / 8., 4 / 8.};
  const PetscReal      code_decode[4] = {5, 2.5, 2.5, 5}, plan_decode[4] = {10, 20, 30, 40};
  const WalrasEdgeSpec edges[5] = {
      {-1, plan, 1}, {plan, code, 2}, {plan, test, 1}, {code, review, 1}, {test, review, 0.5}};

  InputPath(path, sizeof(path), "good/tiny.yaml");
  assert_int_equal(WalrasScenarioLoad(path, &sc), 0);
  assert_string_equal(sc->name, "tiny");
  assert_int_equal(sc->A, 4);
  assert_int_equal(sc->R, 2);
  assert_int_equal(sc->K, 4);
  assert_close(sc->T, 40);
  for (PetscInt k = 0; k < 4; k++) assert_close(sc->dt[k], 10);
  assert_string_equal(sc->metrics[1], "decode");
  assert_close(sc->sigma, 0.5);
  assert_null(sc->arrivals);
  for (PetscInt k = 0; k < 4; k++) assert_close(sc->shares[k], shares[k]), sum += sc->shares[k];
  assert_close(sum, 1);

  /* the entry edge first, then the file's edges in file order */
  assert_int_equal(sc->E, 5);
  for (PetscInt i = 0; i < 5; i++) {
    assert_int_equal(sc->edges[i].from, edges[i].from);
    assert_int_equal(sc->edges[i].to, edges[i].to);
    assert_close(sc->edges[i].weight, edges[i].weight);
  }

  assert_int_equal(WalrasScenarioFindAgent(sc, "Review"), review);
  assert_int_equal(WalrasScenarioFindAgent(sc, "Nobody"), -1);
  assert_int_equal(sc->agents[plan].line, 15);
  assert_int_equal(sc->agents[test].kind, WALRAS_FIRM_CAPACITY);
  assert_string_equal(WalrasFirmKinds[sc->agents[test].kind], "capacity");
  assert_close(sc->agents[code].gamma, 3);
  assert_close(sc->agents[review].gamma, 2); /* the default */
  for (PetscInt k = 0; k < 4; k++) {
    assert_close(sc->agents[plan].cap[1 * 4 + k], plan_decode[k]);
    assert_close(sc->agents[code].cap[0 * 4 + k], 10 * code_decode[k]); /* prefill 50 * profile */
    assert_close(sc->agents[code].cap[1 * 4 + k], code_decode[k]);
    assert_close(sc->agents[test].cap[1 * 4 + k], 0); /* left out */
  }
  assert_close(sc->agents[code].require[0], 4);
  assert_close(sc->agents[review].require[0], 0);
  assert_int_equal(WalrasScenarioValidate(sc), 0);
  assert_int_equal(WalrasScenarioDestroy(&sc), 0);
  assert_null(sc);
}

/* tiny_trace.csv: requests at 0, 3, 9.5 | 12 | - | 31, 35, 39.9 and one at
   45 s, past T = 40; intervals of 10 s. */
static void trace_arrivals_are_binned(void **state)
{
  char            path[PETSC_MAX_PATH_LEN];
  WalrasScenario *sc;
  const PetscReal arrivals[4] = {0.3, 0.1, 0, 0.3}, shares[4] = {3 / 7., 1 / 7., 0, 3 / 7.};

  InputPath(path, sizeof(path), "good/tiny_trace.yaml");
  assert_int_equal(WalrasScenarioLoad(path, &sc), 0);
  assert_non_null(sc->arrivals);
  for (PetscInt k = 0; k < 4; k++) {
    assert_close(sc->arrivals[k], arrivals[k]);
    assert_close(sc->shares[k], shares[k]);
    assert_close(sc->agents[0].cap[0 * 4 + k], arrivals[k]); /* ingress: tasks = arrivals */
  }
  assert_int_equal(sc->E, 4);
  assert_int_equal(sc->edges[0].from, -1);
  assert_int_equal(sc->edges[0].to, 0);
  assert_close(sc->edges[1].weight, 0.75);
  assert_int_equal(WalrasScenarioDestroy(&sc), 0);
}

/* A two-agent scenario held in memory: X -> Y, entry X. */
typedef struct {
  WalrasScenario  sc;
  WalrasAgentSpec agents[2];
  WalrasEdgeSpec  edges[3];
  PetscReal       dt[1], shares[1], cap[2][1], require[2][1];
  char           *metrics[1];
} Memory;

static void MemoryInit(Memory *m)
{
  memset(m, 0, sizeof(*m));
  m->sc.name = "mem", m->sc.A = 2, m->sc.R = 1, m->sc.K = 1, m->sc.E = 2, m->sc.T = 1;
  m->dt[0] = 1, m->shares[0] = 1, m->metrics[0] = "tokens";
  m->sc.dt = m->dt, m->sc.shares = m->shares, m->sc.metrics = m->metrics, m->sc.sigma = 0.5;
  for (int a = 0; a < 2; a++) {
    m->cap[a][0] = 10, m->require[a][0] = 1;
    m->agents[a] =
        (WalrasAgentSpec){a ? "Y" : "X", WALRAS_FIRM_FRONTIER, 2, m->cap[a], m->require[a], 0};
  }
  m->sc.agents = m->agents;
  m->edges[0]  = (WalrasEdgeSpec){-1, 0, 1};
  m->edges[1]  = (WalrasEdgeSpec){0, 1, 1};
  m->sc.edges  = m->edges;
}

static void validate_names_key_without_line(void **state)
{
  Memory m;

  MemoryInit(&m);
  assert_int_equal(WalrasScenarioValidate(&m.sc), 0);

  m.edges[2] = (WalrasEdgeSpec){1, 0, 1}, m.sc.E = 3;
  assert_int_equal(WalrasScenarioValidate(&m.sc), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "mem: 'edges[2]': the agent DAG has a cycle: X -> Y -> X");

  MemoryInit(&m);
  m.agents[1].gamma = 1;
  assert_int_equal(WalrasScenarioValidate(&m.sc), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error,
                      "mem: 'agents[1].gamma': expected a frontier curvature gamma > 1, got 1");

  MemoryInit(&m);
  m.cap[0][0] = -1;
  assert_int_equal(WalrasScenarioValidate(&m.sc), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "mem: 'agents[0].capacity.tokens': expected capacities >= 0, "
                                  "got -1 in interval 0");

  MemoryInit(&m);
  m.sc.sigma = 1, m.edges[0].weight = 0.5;
  assert_int_equal(WalrasScenarioValidate(&m.sc), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error,
                      "mem: 'sigma': sigma = 1 needs the outgoing edge weights of every agent and "
                      "of the entry to sum to 1 (the CES limit of MODEL.md section 3): expected 1 "
                      "for the entry weights, got 0.5");

  MemoryInit(&m);
  m.edges[1].to = 7;
  assert_int_equal(WalrasScenarioValidate(&m.sc), PETSC_ERR_USER_INPUT);
  assert_string_equal(last_error, "mem: 'edges[1]': expected agent indices in [0, 2), or from = "
                                  "-1 for an entry, got 0 -> 7");
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_bad_input_gives_its_exact_message),
      cmocka_unit_test(missing_scenario_file_is_named),
      cmocka_unit_test(scenario_that_is_a_directory_is_named),
      cmocka_unit_test(tiny_parses_to_its_values),
      cmocka_unit_test(trace_arrivals_are_binned),
      cmocka_unit_test(validate_names_key_without_line),
  };
  const char *src = getenv("WALRAS_SOURCE_DIR");
  int         failed;

  snprintf(source_dir, sizeof(source_dir), "%s", src ? src : ".");
  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  PetscPushErrorHandler(CaptureError, NULL);
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  PetscPopErrorHandler();
  PetscFinalize();
  return failed;
}
