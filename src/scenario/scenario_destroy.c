/* WalrasScenarioDestroy, WalrasScenarioFindAgent and the firm kind names. */
#include "scenario/scenario_impl.h"

#include <string.h>

const char *const WalrasFirmKinds[] = {"frontier", "capacity", "WalrasFirmKind", "WALRAS_FIRM_",
                                       NULL};

PetscErrorCode WalrasScenarioDestroy(WalrasScenario **scenario)
{
  WalrasScenario *sc = *scenario;

  PetscFunctionBegin;
  if (!sc) PetscFunctionReturn(0);
  for (PetscInt a = 0; sc->agents && a < sc->A; a++) {
    PetscCall(PetscFree(sc->agents[a].name));
    PetscCall(PetscFree(sc->agents[a].cap));
    PetscCall(PetscFree(sc->agents[a].require));
  }
  for (PetscInt r = 0; sc->metrics && r < sc->R; r++) PetscCall(PetscFree(sc->metrics[r]));
  PetscCall(PetscFree(sc->agents));
  PetscCall(WalrasScenarioSliceDestroy(&sc->slice));
  PetscCall(PetscFree(sc->arrays));
  PetscCall(PetscFree(sc->edges));
  PetscCall(PetscFree(sc->metrics));
  PetscCall(PetscFree(sc->dt));
  for (PetscInt h = 0; sc->tenants && h < sc->H; h++) {
    PetscCall(PetscFree(sc->tenants[h].name));
    PetscCall(PetscFree(sc->tenants[h].shares));
    PetscCall(PetscFree(sc->tenants[h].arrivals));
  }
  PetscCall(PetscFree(sc->tenants));
  PetscCall(PetscFree(sc->shares));
  PetscCall(PetscFree(sc->arrivals));
  PetscCall(PetscFree(sc->path));
  PetscCall(PetscFree(sc->text));
  PetscCall(PetscFree(sc->name));
  PetscCall(PetscFree(*scenario));
  PetscFunctionReturn(0);
}

PetscInt WalrasScenarioFindAgent(const WalrasScenario *sc, const char *name)
{
  for (PetscInt a = 0; sc->agents && a < sc->A; a++)
    if (sc->agents[a].name && !strcmp(sc->agents[a].name, name)) return a;
  return -1;
}
