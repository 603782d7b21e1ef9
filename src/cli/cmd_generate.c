/* walras generate [--agents N] [--layers L] [--fanout F] [--skip P]
   [--metrics R] [--intervals K] [--demand flat|diurnal|bursty] [--sigma S]
   [--bottleneck B] [--seed S] -o FILE.yaml: a synthetic scenario, arrays in
   FILE.h5 (docs/generate.md).  Runs on any number of ranks; each generates
   and writes its own slice of agents. */

#include <walras/generate.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"

static PetscErrorCode ParseInt(const char *flag, const char *text, PetscInt *v)
{
  char     *end;
  long long x;

  PetscFunctionBegin;
  errno = 0;
  x     = strtoll(text, &end, 10);
  WalrasCheckInput(*text && !*end, "generate: %s: expected an integer, got '%s'", flag, text);
  WalrasCheckInput(errno != ERANGE && x >= PETSC_MIN_INT && x <= PETSC_MAX_INT,
                   "generate: %s: expected an integer from %" PetscInt_FMT " to %" PetscInt_FMT
                   ", got '%s' (out of range)",
                   flag, (PetscInt)PETSC_MIN_INT, (PetscInt)PETSC_MAX_INT, text);
  *v = (PetscInt)x;
  PetscFunctionReturn(0);
}

/* The seed is any 64-bit unsigned number (the generator hashes it). */
static PetscErrorCode ParseSeed(const char *text, unsigned long long *seed)
{
  char              *end;
  unsigned long long x;

  PetscFunctionBegin;
  errno = 0;
  x     = strtoull(text, &end, 10);
  WalrasCheckInput(*text >= '0' && *text <= '9' && !*end,
                   "generate: --seed: expected a whole number >= 0, got '%s'", text);
  WalrasCheckInput(
      errno != ERANGE,
      "generate: --seed: expected a whole number from 0 to %llu, got '%s' (out of range)",
      ULLONG_MAX, text);
  *seed = x;
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseReal(const char *flag, const char *text, PetscReal *v)
{
  char *end;

  PetscFunctionBegin;
  *v = (PetscReal)strtod(text, &end);
  WalrasCheckInput(*text && !*end, "generate: %s: expected a number, got '%s'", flag, text);
  PetscFunctionReturn(0);
}

static const char usage[] =
    "usage: walras generate [--agents N] [--layers L] [--fanout F] [--skip P] [--metrics R]\n"
    "         [--intervals K] [--demand flat|diurnal|bursty] [--sigma S] [--bottleneck B]\n"
    "         [--seed S] -o FILE.yaml\n"
    "  writes FILE.yaml and its arrays FILE.h5 (docs/generate.md)\n";

PetscErrorCode WalrasCommandGenerate(int argc, char **argv)
{
  WalrasGenerateOptions o;
  char                  yaml[PETSC_MAX_PATH_LEN] = "", h5[PETSC_MAX_PATH_LEN];
  size_t                len;
  PetscBool             help;

  PetscFunctionBegin;
  PetscCall(PetscOptionsHasHelp(NULL, &help));
  if (help) {
    PetscCall(WalrasLog("%s", usage));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasGenerateDefaults(&o));
  for (int i = 1; i < argc; i++) {
    const char *f = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

    WalrasCheckInput(f[0] == '-', "generate: unexpected argument '%s' (see walras generate -help)",
                     f);
    WalrasCheckInput(v, "generate: %s: expected a value after it", f);
    if (!strcmp(f, "--agents"))
      PetscCall(ParseInt(f, v, &o.A));
    else if (!strcmp(f, "--layers"))
      PetscCall(ParseInt(f, v, &o.layers));
    else if (!strcmp(f, "--fanout"))
      PetscCall(ParseInt(f, v, &o.fanout));
    else if (!strcmp(f, "--metrics"))
      PetscCall(ParseInt(f, v, &o.R));
    else if (!strcmp(f, "--intervals"))
      PetscCall(ParseInt(f, v, &o.K));
    else if (!strcmp(f, "--skip"))
      PetscCall(ParseReal(f, v, &o.skip));
    else if (!strcmp(f, "--sigma"))
      PetscCall(ParseReal(f, v, &o.sigma));
    else if (!strcmp(f, "--bottleneck"))
      PetscCall(ParseReal(f, v, &o.bottleneck));
    else if (!strcmp(f, "--demand"))
      PetscCall(PetscStrncpy(o.demand, v, sizeof(o.demand)));
    else if (!strcmp(f, "--seed"))
      PetscCall(ParseSeed(v, &o.seed));
    else if (!strcmp(f, "-o"))
      PetscCall(PetscStrncpy(yaml, v, sizeof(yaml)));
    else if (f[0] == '-' && f[1] != '-')
      continue; /* a PETSc option and its value */
    else
      WalrasInputError("generate: unknown argument '%s' (see docs/generate.md)", f);
    i++;
  }
  WalrasCheckInput(yaml[0], "generate: expected -o FILE.yaml");
  PetscCall(WalrasCliCheckOutput("-o", yaml, 0, NULL, NULL));
  /* The arrays go next to the YAML: FILE.yaml -> FILE.h5. */
  PetscCall(PetscStrncpy(h5, yaml, sizeof(h5)));
  len = strlen(h5);
  if (len > 5 && !strcmp(h5 + len - 5, ".yaml"))
    h5[len - 5] = 0;
  else if (len > 4 && !strcmp(h5 + len - 4, ".yml"))
    h5[len - 4] = 0;
  PetscCall(PetscStrlcat(h5, ".h5", sizeof(h5)));
  PetscCall(WalrasCliCheckOutput("-o", h5, 0, NULL, NULL));
  PetscCall(WalrasGenerate(PETSC_COMM_WORLD, &o, yaml, h5));
  PetscCall(WalrasLog("walras generate: wrote %s and %s (%" PetscInt_FMT " agents, %" PetscInt_FMT
                      " goods)\n",
                      yaml, h5, o.A, o.A * o.R * o.K));
  PetscFunctionReturn(0);
}
