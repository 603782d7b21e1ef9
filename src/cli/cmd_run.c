#include "cli/commands.h"

PetscErrorCode WalrasCommandRun(int argc, char **argv)
{
  PetscFunctionBegin;
  WalrasInputError("walras run: under construction");
}
