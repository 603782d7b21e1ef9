/* The ChatDev workflow: the real files of runs/data/chatdev and small
   hand-made ones.

   Expected numbers for the real files come from an independent python3
   script (csv + json modules) that follows the rules of docs/data.md: unroll
   the chain of ChatChainConfig.json (3 + 10 + 2*3 + 2*3 + 2 = 27 nodes); per
   run (rows grouped by run_id, sorted by call_idx, empty phase_name dropped),
   merge consecutive calls of one phase and 'Reflection' calls after a
   need_reflect phase into one visit, and step to the first later node of the
   call's phase; a run with no such node is skipped.  It gave 56 runs, 26
   skipped, 18 visited nodes, 23 edges, and these sums over the 30 runs kept:
     DemandAnalysis            prompt 21146, completion   868, visits 30
     Coding                    prompt 25160, completion 24130, visits 30
     CodeComplete#1            prompt 15259, completion  6758, visits  5
     CodeReviewModification#2  prompt 67321, completion 31172, visits 30
     CodeReviewComment#3       prompt 49462, completion  5786, visits 28
     EnvironmentDoc            prompt 97265, completion  5576, visits 30
   (EnvironmentDoc includes its Reflection calls.) */
#include "loader_test.h"

static PetscInt NodeIndex(const WalrasChatDevWorkflow *wf, const char *name)
{
  for (PetscInt i = 0; i < wf->n_nodes; i++)
    if (!strcmp(wf->node_name[i], name)) return i;
  fail_msg("no node %s", name);
  return -1;
}

static void check_node(const WalrasChatDevWorkflow *wf, const char *name, double prompt,
                       double completion, double visits, const char *role)
{
  PetscInt i = NodeIndex(wf, name);

  assert_true(wf->visits[i] == visits);
  assert_true(fabs(wf->prompt_tokens[i] - prompt / visits) < 1e-9);
  assert_true(fabs(wf->completion_tokens[i] - completion / visits) < 1e-9);
  assert_string_equal(wf->node_role[i], role);
}

static void real_files(void **state)
{
  WalrasChatDevWorkflow wf;
  PetscReal             start = 0;

  assert_int_equal(WalrasChatDevWorkflowBuild(DataPath("chatdev/ChatChainConfig.json"),
                                              DataPath("chatdev/chatdev_llm_calls.csv"), &wf),
                   0);
  assert_int_equal(wf.runs, 56);
  assert_int_equal(wf.runs_skipped, 26);
  assert_int_equal(wf.n_nodes, 18);
  assert_int_equal(wf.n_edges, 23);
  assert_string_equal(wf.node_name[0], "DemandAnalysis");
  assert_string_equal(wf.node_name[3], "CodeComplete#1");
  assert_string_equal(wf.node_phase[3], "CodeComplete");
  assert_string_equal(wf.node_name[17], "Manual");
  check_node(&wf, "DemandAnalysis", 21146, 868, 30, "Chief Product Officer");
  check_node(&wf, "Coding", 25160, 24130, 30, "Programmer");
  check_node(&wf, "CodeComplete#1", 15259, 6758, 5, "Programmer");
  check_node(&wf, "CodeReviewModification#2", 67321, 31172, 30, "Programmer");
  check_node(&wf, "CodeReviewComment#3", 49462, 5786, 28, "Code Reviewer");
  check_node(&wf, "EnvironmentDoc", 97265, 5576, 30, "Programmer");

  /* flow conservation: what enters a node is its visits; what leaves it is
     the visits that did not end there (every kept run ends at Manual) */
  for (PetscInt i = 0; i < wf.n_nodes; i++) {
    PetscReal in = 0, out = 0;

    for (PetscInt e = 0; e < wf.n_edges; e++) {
      if (wf.edge_to[e] == i) in += wf.edge_count[e];
      if (wf.edge_from[e] == i) out += wf.edge_count[e];
    }
    assert_true(in == wf.visits[i]);
    assert_true(out == (i == 17 ? 0 : wf.visits[i]));
  }
  for (PetscInt e = 0; e < wf.n_edges; e++)
    if (wf.edge_from[e] < 0) start += wf.edge_count[e];
  assert_true(start == wf.runs - wf.runs_skipped);
  WalrasChatDevWorkflowDestroy(&wf);
}

static const char tiny_config[] =
    "{\"chain\": [\n"
    " {\"phase\": \"A\", \"phaseType\": \"SimplePhase\", \"need_reflect\": \"True\"},\n"
    " {\"phase\": \"Loop\", \"phaseType\": \"ComposedPhase\", \"cycleNum\": 2, \"Composition\": [\n"
    "   {\"phase\": \"P\", \"phaseType\": \"SimplePhase\"},\n"
    "   {\"phase\": \"Q\", \"phaseType\": \"SimplePhase\"}]},\n"
    " {\"phase\": \"Z\", \"phaseType\": \"SimplePhase\", \"need_reflect\": \"False\"}]}\n";

/* r1: A (+ its reflection) P Q P Q(twice) Z; r2: three cycles (over the bound);
   r3: Z before A (out of order); r4: A then P, Z (a loop left early).  The
   rows of r1 are out of call_idx order on purpose. */
static const char tiny_calls[] = "run_id,call_idx,phase_name,assistant_role,prompt_tokens,"
                                 "completion_tokens\n"
                                 "r1,1,A,Boss,10,1\n"
                                 "r1,0,,Prompt Engineer,99,99\n"
                                 "r1,2,Reflection,Counselor,5,2\n"
                                 "r1,3,P,Dev,20,4\n"
                                 "r1,4,Q,Rev,30,6\n"
                                 "r1,6,Q,Rev,1,1\n"
                                 "r1,5,P,Dev,40,8\n"
                                 "r1,7,Q,Rev,2,2\n"
                                 "r1,8,Z,Boss,7,7\n"
                                 "r2,0,A,Boss,1,1\nr2,1,P,Dev,1,1\nr2,2,Q,Rev,1,1\nr2,3,P,Dev,1,1\n"
                                 "r2,4,Q,Dev,1,1\nr2,5,P,Dev,1,1\n"
                                 "r3,0,Z,Boss,1,1\nr3,1,A,Boss,1,1\n"
                                 "r4,0,A,Boss,30,3\nr4,1,P,Dev,60,12\nr4,2,Z,Boss,1,1\n";

static void tiny_workflow(void **state)
{
  WalrasChatDevWorkflow wf;
  const char           *config = WriteTemp("chain.json", tiny_config);
  const char           *calls  = WriteTemp("calls.csv", tiny_calls);
  PetscInt              a, p1, q1, p2, q2, z;

  assert_int_equal(WalrasChatDevWorkflowBuild(config, calls, &wf), 0);
  assert_int_equal(wf.runs, 4);
  assert_int_equal(wf.runs_skipped, 2);
  assert_int_equal(wf.n_nodes, 6); /* A P#1 Q#1 P#2 Q#2 Z: all visited */
  a  = NodeIndex(&wf, "A");
  p1 = NodeIndex(&wf, "P#1");
  q1 = NodeIndex(&wf, "Q#1");
  p2 = NodeIndex(&wf, "P#2");
  q2 = NodeIndex(&wf, "Q#2");
  z  = NodeIndex(&wf, "Z");
  assert_true(a == 0 && p1 == 1 && q1 == 2 && p2 == 3 && q2 == 4 && z == 5);
  check_node(&wf, "A", 10 + 5 + 30, 1 + 2 + 3, 2, "Boss"); /* the reflection is part of A */
  check_node(&wf, "P#1", 20 + 60, 4 + 12, 2, "Dev");
  check_node(&wf, "Q#2", 1 + 2, 1 + 2, 1, "Rev"); /* repeated Q calls are one visit */
  check_node(&wf, "Z", 8, 8, 2, "Boss");
  /* edges: start->A 2, A->P#1 2, P#1->Q#1 1, P#1->Z 1, Q#1->P#2 1, P#2->Q#2 1, Q#2->Z 1 */
  assert_int_equal(wf.n_edges, 7);
  assert_true(wf.edge_from[0] == -1 && wf.edge_to[0] == a && wf.edge_count[0] == 2);
  for (PetscInt e = 0; e < wf.n_edges; e++)
    if (wf.edge_from[e] == p1)
      assert_true(wf.edge_count[e] == 1 && (wf.edge_to[e] == q1 || wf.edge_to[e] == z));
  WalrasChatDevWorkflowDestroy(&wf);
}

static void broken_copies(void **state)
{
  WalrasChatDevWorkflow wf;
  const char           *path;
  char                  want[1024], config[512];

  snprintf(config, sizeof(config), "%s", WriteTemp("chain.json", tiny_config));

  path = WriteTemp("abc.csv", "run_id,call_idx,phase_name,assistant_role,prompt_tokens,"
                              "completion_tokens\nr1,0,A,Boss,abc,1\n");
  assert_int_equal(WalrasChatDevWorkflowBuild(config, path, &wf), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:2: 'prompt_tokens': expected a whole number >= 0, got 'abc'",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("neg.csv", "run_id,call_idx,phase_name,assistant_role,prompt_tokens,"
                              "completion_tokens\nr1,0,A,Boss,1,-3\n");
  assert_int_equal(WalrasChatDevWorkflowBuild(config, path, &wf), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:2: 'completion_tokens': expected a whole number >= 0, got '-3'",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("nocol.csv", "run_id,call_idx,phase_name,assistant_role,prompt_tokens\n");
  assert_int_equal(WalrasChatDevWorkflowBuild(config, path, &wf), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s:1: header: expected a column 'completion_tokens', got none",
           path);
  assert_string_equal(last_error, want);

  path = WriteTemp("header.csv", "run_id,call_idx,phase_name,assistant_role,prompt_tokens,"
                                 "completion_tokens\n");
  assert_int_equal(WalrasChatDevWorkflowBuild(config, path, &wf), PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: no requests (expected at least one data row)", path);
  assert_string_equal(last_error, want);

  path =
      WriteTemp("cycles.json", "{\"chain\": [{\"phase\": \"L\", \"phaseType\": \"ComposedPhase\", "
                               "\"cycleNum\": -1, \"Composition\": []}]}");
  assert_int_equal(WalrasChatDevWorkflowBuild(path, TempPath("calls.csv"), &wf),
                   PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want), "%s: 'chain[0]': 'cycleNum': expected a whole number >= 0, got '-1'",
           path);
  assert_string_equal(last_error, want);

  path = TempPath("missing.json");
  assert_int_equal(WalrasChatDevWorkflowBuild(path, TempPath("calls.csv"), &wf),
                   PETSC_ERR_USER_INPUT);
  snprintf(want, sizeof(want),
           "%s: cannot open the ChatDev chain (ChatChainConfig.json): No such file or directory",
           path);
  assert_string_equal(last_error, want);
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(real_files),
      cmocka_unit_test(tiny_workflow),
      cmocka_unit_test(broken_copies),
  };

  return RunLoaderTests(argc, argv, tests, sizeof(tests) / sizeof(tests[0]));
}
