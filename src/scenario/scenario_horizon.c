/* horizon: and metrics: of a scenario file. */
#include "scenario/scenario_impl.h"

#include <string.h>

static const char *const horizon_keys[] = {"T", "K", "dt", NULL};

PetscErrorCode WalrasScenarioParseHorizon(WalrasYAMLNode horizon, WalrasScenario *sc)
{
  WalrasYAMLNode T, K, dt;
  WalrasWhere    where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(horizon, horizon_keys));
  PetscCall(WalrasYAMLMapGet(horizon, "T", PETSC_TRUE, &T));
  PetscCall(WalrasYAMLMapGet(horizon, "K", PETSC_FALSE, &K));
  PetscCall(WalrasYAMLMapGet(horizon, "dt", PETSC_FALSE, &dt));
  PetscCall(WalrasYAMLGetReal(T, &sc->T));
  where = WalrasWhereOfNode(T);
  WalrasWhereCheck(sc->T > 0, &where, "expected a horizon T > 0 (seconds), got %.10g",
                   (double)sc->T);

  /* Exactly one of K (uniform intervals) and dt (explicit lengths). */
  where = WalrasWhereOfNode(horizon);
  WalrasWhereCheck(WalrasYAMLPresent(K) != WalrasYAMLPresent(dt), &where, "%s",
                   WalrasYAMLPresent(K) ? "expected K or dt, got both"
                                        : "expected K (uniform intervals) or dt (their lengths)");
  if (WalrasYAMLPresent(K)) {
    PetscCall(WalrasYAMLGetInt(K, &sc->K));
    where = WalrasWhereOfNode(K);
    WalrasWhereCheck(sc->K >= 1, &where, "expected K >= 1 intervals, got %" PetscInt_FMT, sc->K);
    WalrasWhereCheck(sc->K <= WALRAS_MAX_INTERVALS, &where,
                     "expected K <= %d intervals, got %" PetscInt_FMT " (too many to allocate)",
                     WALRAS_MAX_INTERVALS, sc->K);
    PetscCall(PetscMalloc1(sc->K, &sc->dt));
    for (PetscInt k = 0; k < sc->K; k++) sc->dt[k] = sc->T / (PetscReal)sc->K;
  } else {
    PetscCall(WalrasYAMLGetRealArray(dt, -1, &sc->dt, &sc->K));
    where = WalrasWhereOfNode(dt);
    WalrasWhereCheck(sc->K >= 1, &where, "expected a list of K >= 1 interval lengths, got %s",
                     "an empty list");
  }
  where = WalrasWhereOfNode(WalrasYAMLPresent(dt) ? dt : horizon);
  PetscCall(WalrasRuleHorizon(&where, sc->T, sc->K, sc->dt));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseMetrics(WalrasYAMLNode metrics, WalrasScenario *sc)
{
  WalrasWhere where = WalrasWhereOfNode(metrics);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLSeqLength(metrics, &sc->R));
  WalrasWhereCheck(sc->R >= 1, &where, "expected a list of at least one metric name, got %s",
                   "an empty list");
  PetscCall(PetscCalloc1(sc->R, &sc->metrics));
  for (PetscInt r = 0; r < sc->R; r++) {
    WalrasYAMLNode item;
    const char    *name;

    PetscCall(WalrasYAMLSeqItem(metrics, r, &item));
    PetscCall(WalrasYAMLGetString(item, &name));
    where = WalrasWhereOfNode(item);
    WalrasWhereCheck(name[0], &where, "expected a metric name, got %s", "an empty string");
    WalrasWhereCheck(WalrasScenarioFindMetric(sc, name) < 0, &where,
                     "expected unique metric names, got '%s' twice", name);
    PetscCall(PetscStrallocpy(name, &sc->metrics[r]));
  }
  PetscFunctionReturn(0);
}

PetscInt WalrasScenarioFindMetric(const WalrasScenario *sc, const char *name)
{
  for (PetscInt r = 0; r < sc->R; r++)
    if (sc->metrics[r] && !strcmp(sc->metrics[r], name)) return r;
  return -1;
}
