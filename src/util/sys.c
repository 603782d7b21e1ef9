#include <walras/sys.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* True when the first error of this rank was an input error: the frames that
   PETSc passes afterwards (PETSC_ERROR_REPEAT) belong to its traceback, which
   a user with a wrong scenario does not need to see. */
static PetscBool walras_input_error_seen = PETSC_FALSE;

static PetscErrorCode WalrasErrorHandler(MPI_Comm comm, int line, const char *fun, const char *file,
                                         PetscErrorCode n, PetscErrorType p, const char *mess,
                                         void *ctx)
{
  PetscMPIInt rank = 0;

  (void)comm;
  (void)ctx;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  if (p == PETSC_ERROR_INITIAL) {
    /* PETSc's own parsing of an option value (-tat_rtol abc) is bad input
       too: every rank parses the same options and fails the same way. */
    PetscBool option_value =
        (PetscBool)(fun && !strncmp(fun, "PetscOptions", 12) &&
                    (n == PETSC_ERR_ARG_OUTOFRANGE || n == PETSC_ERR_ARG_WRONG));

    /* Types (SNES, PC, ...) reach PETSc only through options here. */
    PetscBool unknown_type = (PetscBool)(n == PETSC_ERR_ARG_UNKNOWN_TYPE);

    walras_input_error_seen = (PetscBool)(n == WALRAS_ERR_INPUT || option_value || unknown_type);
    if (unknown_type) {
      if (rank == 0)
        fprintf(stderr, "walras: error: a command-line option names an unknown type: %s\n",
                mess ? mess : "(no message)");
    } else if (option_value) {
      if (rank == 0)
        fprintf(stderr, "walras: error: a command-line option has a bad value: %s\n",
                mess ? mess : "(no message)");
    } else if (walras_input_error_seen) {
      if (rank == 0) fprintf(stderr, "walras: error: %s\n", mess ? mess : "(no message)");
    } else {
      fprintf(stderr, "[%d] walras: error %d in %s (%s:%d): %s\n", rank, (int)n, fun, file, line,
              mess ? mess : "");
    }
  } else if (!walras_input_error_seen) {
    fprintf(stderr, "[%d]   called from %s (%s:%d)\n", rank, fun, file, line);
  }
  fflush(stderr);
  return n;
}

PetscErrorCode WalrasErrorHandlerPush(void)
{
  PetscFunctionBegin;
  PetscCall(PetscPushErrorHandler(WalrasErrorHandler, NULL));
  PetscFunctionReturn(0);
}

int WalrasExitAgree(MPI_Comm comm, PetscErrorCode ierr, double timeout_s)
{
  int             mine = ierr ? 1 : 0, worst = 0, done = 0;
  MPI_Request     request;
  struct timespec nap   = {0, 1000000};
  double          start = MPI_Wtime();

  if (MPI_Iallreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, comm, &request) != MPI_SUCCESS)
    MPI_Abort(MPI_COMM_WORLD, 1);
  while (!done) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (done) break;
    if (MPI_Wtime() - start > timeout_s) {
      int rank;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      fprintf(stderr,
              "[%d] walras: the other ranks did not finish within %.0f s of this one; "
              "aborting the job so that none of them waits forever\n",
              rank, timeout_s);
      fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, mine ? 1 : 2);
    }
    nanosleep(&nap, NULL);
  }
  return worst;
}

PetscErrorCode WalrasReadTextFile(const char *path, const char *what, char **text, size_t *len)
{
  FILE       *fp;
  long        size;
  size_t      got;
  struct stat st;
  const char *nul;

  PetscFunctionBegin;
  fp = fopen(path, "rb");
  WalrasCheckInput(fp, "%s: cannot open %s: %s", path, what, strerror(errno));
  /* fopen() succeeds on a directory on Linux, and ftell() then gives a
     nonsense size: refuse it before reading. */
  if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(fp);
    WalrasInputError("%s: expected a file (%s), got a directory", path, what);
  }
  if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0) {
    fclose(fp);
    WalrasInputError("%s: cannot read %s (not a regular file?)", path, what);
  }
  PetscCall(PetscMalloc1((size_t)size + 1, text));
  got = fread(*text, 1, (size_t)size, fp);
  fclose(fp);
  WalrasCheckInput(got == (size_t)size, "%s: short read of %s (%zu of %ld bytes)", path, what, got,
                   size);
  (*text)[size] = '\0';

  /* The text is handed on as a C string: a NUL byte would end it early and
     silently drop the rest of the file. */
  nul = memchr(*text, '\0', (size_t)size);
  if (nul) {
    long line = 1;

    for (const char *c = *text; c < nul; c++) line += (*c == '\n');
    PetscCall(PetscFree(*text));
    WalrasInputError("%s:%ld: expected text (%s), got a NUL byte", path, line, what);
  }
  if (len) *len = (size_t)size;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasPathRelativeTo(const char *base_path, const char *rel, char *out, size_t len)
{
  const char *slash = strrchr(base_path, '/');
  int         n;

  PetscFunctionBegin;
  if (rel[0] == '/' || !slash)
    n = snprintf(out, len, "%s", rel);
  else
    n = snprintf(out, len, "%.*s/%s", (int)(slash - base_path), base_path, rel);
  WalrasCheckInput(n >= 0 && (size_t)n < len, "%s: path '%s' is too long", base_path, rel);
  PetscFunctionReturn(0);
}
