/* The partitioning module names the valid partitioners when given another,
   and on one rank every partitioner keeps every agent in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <walras/partition.h>

static char last_error[1024];

static PetscErrorCode CaptureError(MPI_Comm comm, int line, const char *fun, const char *file,
                                   PetscErrorCode n, PetscErrorType p, const char *mess, void *ctx)
{
  if (p == PETSC_ERROR_INITIAL) snprintf(last_error, sizeof(last_error), "%s", mess);
  return n;
}

/* a path 0 - 1 - 2 - 3 on one rank */
static const PetscInt    xadj[]   = {0, 1, 3, 5, 6};
static const PetscInt    adjncy[] = {1, 0, 2, 1, 3, 2};
static const WalrasGraph path     = {4, 4, 0, xadj, adjncy, NULL, NULL};

static void unknown_type_lists_the_valid_ones(void **state)
{
  IS owner = NULL;

  assert_int_equal(WalrasPartitionCompute(PETSC_COMM_SELF, &path, "metis", &owner),
                   WALRAS_ERR_INPUT);
  assert_string_equal(last_error, "-walras_partition: unknown partitioner 'metis' (expected one "
                                  "of: block, scotch, level)");
  assert_null(owner);
}

static void bad_neighbour_is_an_input_error(void **state)
{
  static const PetscInt bad[] = {1, 0, 2, 1, 7, 2};
  WalrasGraph           g     = {4, 4, 0, xadj, bad, NULL, NULL};
  IS                    owner = NULL;

  assert_int_equal(WalrasPartitionCompute(PETSC_COMM_SELF, &g, "block", &owner), WALRAS_ERR_INPUT);
  assert_non_null(strstr(last_error, "neighbour outside [0, nglobal)"));
}

static void one_rank_keeps_everything(void **state)
{
  static const char *types[] = {"block", "scotch", "level"};

  for (int k = 0; k < 3; k++) {
    IS                     owner, renum;
    const PetscInt        *own, *idx;
    PetscInt               n;
    WalrasPartitionQuality q;

    assert_int_equal(WalrasPartitionCompute(PETSC_COMM_SELF, &path, types[k], &owner), 0);
    assert_int_equal(WalrasPartitionMeasure(PETSC_COMM_SELF, &path, owner, &q), 0);
    assert_int_equal(q.cut_edges, 0);
    assert_true(q.imbalance == 1.0);
    assert_int_equal(WalrasPartitionRenumber(PETSC_COMM_SELF, &path, owner, &renum, &n), 0);
    assert_int_equal(n, 4);
    ISGetIndices(owner, &own);
    ISGetIndices(renum, &idx);
    for (PetscInt i = 0; i < 4; i++) {
      assert_int_equal(own[i], 0);
      assert_int_equal(idx[i], i);
    }
    ISRestoreIndices(renum, &idx);
    ISRestoreIndices(owner, &own);
    ISDestroy(&renum);
    ISDestroy(&owner);
  }
}

int main(int argc, char **argv)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unknown_type_lists_the_valid_ones),
      cmocka_unit_test(bad_neighbour_is_an_input_error),
      cmocka_unit_test(one_rank_keeps_everything),
  };
  int failed;

  if (PetscInitialize(&argc, &argv, NULL, NULL)) return 1;
  PetscPushErrorHandler(CaptureError, NULL);
  failed = cmocka_run_group_tests(tests, NULL, NULL);
  PetscPopErrorHandler();
  PetscFinalize();
  return failed;
}
