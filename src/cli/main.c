/* walras: general equilibrium of orchestrated AI agent systems.
   Entry point: PETSc start-up, subcommand dispatch, and an exit that every
   rank agrees on (see WalrasExitAgree). */

#include <walras/version.h>
#include <string.h>

#include "cli/commands.h"

static const char help[] = "walras: general equilibrium of orchestrated AI agent systems.\n"
                           "Usage: walras <command> [arguments] [options]; walras help\n";

static const WalrasCommand commands[] = {
    {"run", "find the equilibrium of a scenario and write it to HDF5", WalrasCommandRun,
     PETSC_TRUE},
    {"check", "load and validate a scenario, print a summary", WalrasCommandCheck, PETSC_TRUE},
    {"derive-chatdev", "print the ChatDev agents and edges derived from runs/data/chatdev",
     WalrasCommandDeriveChatDev, PETSC_FALSE},
    {"classic", "solve a classic test economy (runs/classic/) from its starts",
     WalrasCommandClassic, PETSC_TRUE},
    {"generate", "write a synthetic scenario of any size (YAML + HDF5 arrays)",
     WalrasCommandGenerate, PETSC_FALSE},
};

static PetscErrorCode PrintUsage(void)
{
  PetscFunctionBegin;
  PetscCall(WalrasLog("walras %s: general equilibrium of orchestrated AI agent systems\n\n"
                      "usage: walras <command> [arguments] [options]\n\ncommands:\n",
                      WALRAS_VERSION_STRING));
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    PetscCall(WalrasLog("  %-15s %s\n", commands[i].name, commands[i].summary));
  PetscCall(WalrasLog("\n'walras <command> -help' lists the options of a command.\n"));
  PetscFunctionReturn(0);
}

/* Runs a command.  PETSc knows -help but not --help: the second becomes the
   first, so every command has one way to ask whether help was wanted. */
static PetscErrorCode DispatchCommand(const WalrasCommand *cmd, int argc, char **argv)
{
  PetscBool want_help;

  PetscFunctionBegin;
  for (int i = 1; i < argc; i++)
    if (!strcmp(argv[i], "--help")) PetscCall(PetscOptionsSetValue(NULL, "-help", NULL));
  PetscCall(cmd->run(argc, argv));
  PetscCall(PetscOptionsHasHelp(NULL, &want_help));
  if (cmd->warn_unused && !want_help) PetscCall(WalrasCliWarnUnusedOptions());
  PetscFunctionReturn(0);
}

static PetscErrorCode Dispatch(int argc, char **argv)
{
  PetscFunctionBegin;
  if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help")) {
    PetscCall(PrintUsage());
    PetscFunctionReturn(0);
  }
  if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
    PetscCall(WalrasLog("walras %s\n", WALRAS_VERSION_STRING));
    PetscFunctionReturn(0);
  }
  for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
    if (!strcmp(argv[1], commands[i].name)) {
      PetscCall(DispatchCommand(&commands[i], argc - 1, argv + 1));
      PetscFunctionReturn(0);
    }
  WalrasInputError("unknown command '%s' (try 'walras help')", argv[1]);
}

int main(int argc, char **argv)
{
  PetscErrorCode ierr;
  MPI_Comm       exit_comm;
  int            status;

  ierr = PetscInitialize(&argc, &argv, NULL, help);
  if (ierr) return (int)ierr;
  /* A communicator of its own for the closing agreement, so that it can never
     match a collective another rank is still inside. */
  MPI_Comm_dup(PETSC_COMM_WORLD, &exit_comm);
  ierr = WalrasErrorHandlerPush();
  if (!ierr) ierr = Dispatch(argc, argv);
  status = WalrasExitAgree(exit_comm, ierr, 20.0);
  if (status == 0) status = walras_run_exit_status;
  MPI_Comm_free(&exit_comm);
  if (PetscFinalize()) return 1;
  return status;
}
