/* What the subcommands share about their command line: positional arguments,
   the output path, and options that nothing used. */

#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"

static PetscBool EndsWith(const char *s, const char *tail)
{
  size_t n = strlen(s), m = strlen(tail);

  return (PetscBool)(n >= m && !strcmp(s + n - m, tail));
}

/* A word that takes a file as its value, so that file is not a misplaced
   positional argument. */
static PetscBool TakesFile(const char *option)
{
  return (PetscBool)(!strcmp(option, "-o") || !strncmp(option, "-options_file", 13));
}

PetscErrorCode WalrasCliPositionals(int argc, char **argv, int max, const char *usage, int *n)
{
  int k = 0;

  PetscFunctionBegin;
  while (k + 1 < argc && argv[k + 1][0] != '-') k++;
  WalrasCheckInput(k <= max, "%s: unexpected argument '%s' (%s)", argv[0], argv[max + 1], usage);

  /* No positional, but a scenario among the options: PETSc would take it as
     the value of the option before it, and the run would quietly use the
     default scenario. */
  for (int i = k + 1; k == 0 && i < argc; i++) {
    const char *w = argv[i];

    if (w[0] == '-' || TakesFile(argv[i - 1])) continue;
    WalrasCheckInput(!EndsWith(w, ".yaml") && !EndsWith(w, ".yml"),
                     "expected the scenario right after '%s', got it after the options: %s",
                     argv[0], w);
  }
  *n = k;
  PetscFunctionReturn(0);
}

/* What rank 0 found wrong with an output path; every rank raises the error
   that goes with it. */
enum { OUTPUT_OK, OUTPUT_EMPTY, OUTPUT_FOLDER, OUTPUT_INPUT };

static int OutputProblem(const char *path, PetscInt n_inputs, const char *const inputs[])
{
  struct stat out, in;

  if (!path[0]) return OUTPUT_EMPTY;
  if (EndsWith(path, "/")) return OUTPUT_FOLDER;
  /* An output that does not exist yet cannot be one of the inputs, which
     were all read before this check. */
  if (stat(path, &out) != 0) return OUTPUT_OK;
  if (S_ISDIR(out.st_mode)) return OUTPUT_FOLDER;
  for (PetscInt k = 0; k < n_inputs; k++)
    if (inputs[k] && stat(inputs[k], &in) == 0 && in.st_dev == out.st_dev &&
        in.st_ino == out.st_ino)
      return OUTPUT_INPUT + (int)k;
  return OUTPUT_OK;
}

PetscErrorCode WalrasCliCheckOutput(const char *option, const char *path, PetscInt n_inputs,
                                    const char *const inputs[], const char *const what[])
{
  PetscMPIInt rank;
  int         problem = OUTPUT_OK;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (rank == 0) problem = OutputProblem(path, n_inputs, inputs);
  PetscCallMPI(MPI_Bcast(&problem, 1, MPI_INT, 0, PETSC_COMM_WORLD));
  WalrasCheckInput(problem != OUTPUT_EMPTY, "%s: expected a file name after it", option);
  WalrasCheckInput(problem != OUTPUT_FOLDER, "%s %s: is a folder; expected a file name", option,
                   path);
  WalrasCheckInput(problem < OUTPUT_INPUT,
                   "%s %s: is %s %s, which this run reads; choose another output file", option,
                   path, what[problem - OUTPUT_INPUT], inputs[problem - OUTPUT_INPUT]);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasCliWarnUnusedOptions(void)
{
  PetscInt N;
  char   **names, **values;

  PetscFunctionBegin;
  PetscCall(PetscOptionsLeftGet(NULL, &N, &names, &values));
  for (PetscInt i = 0; i < N; i++)
    PetscCall(PetscFPrintf(PETSC_COMM_WORLD, PETSC_STDERR,
                           "walras: warning: option -%s was given but never used (a typo?)\n",
                           names[i]));
  PetscCall(PetscOptionsLeftRestore(NULL, &N, &names, &values));
  PetscFunctionReturn(0);
}
