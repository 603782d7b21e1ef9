#include "testeconomies.h"

#include <string.h>

static PetscErrorCode AddAgent(WalrasScenario *sc, PetscInt a, const char *name,
                               WalrasFirmKind kind, PetscReal gamma)
{
  PetscFunctionBegin;
  PetscCall(PetscStrallocpy(name, &sc->agents[a].name));
  sc->agents[a].kind  = kind;
  sc->agents[a].gamma = gamma;
  PetscCall(PetscCalloc1(sc->R * sc->K, &sc->agents[a].cap));
  PetscCall(PetscCalloc1(sc->R, &sc->agents[a].require));
  PetscFunctionReturn(0);
}

static PetscErrorCode Allocate(WalrasScenario *sc, PetscInt A, PetscInt R, PetscInt K, PetscInt E,
                               PetscReal T)
{
  PetscFunctionBegin;
  sc->A = A;
  sc->R = R;
  sc->K = K;
  sc->E = E;
  sc->T = T;
  PetscCall(PetscStrallocpy("test", &sc->name));
  PetscCall(PetscStrallocpy("(in memory)", &sc->path));
  PetscCall(PetscStrallocpy("", &sc->text));
  PetscCall(PetscMalloc2(K, &sc->dt, K, &sc->shares));
  for (PetscInt k = 0; k < K; k++) {
    sc->dt[k]     = T / K;
    sc->shares[k] = 1.0 / K;
  }
  PetscCall(PetscMalloc1(R, &sc->metrics));
  for (PetscInt r = 0; r < R; r++) {
    char name[16];

    PetscCall(PetscSNPrintf(name, sizeof(name), "m%" PetscInt_FMT, r));
    PetscCall(PetscStrallocpy(name, &sc->metrics[r]));
  }
  PetscCall(PetscCalloc1(A, &sc->agents));
  PetscCall(PetscCalloc1(E, &sc->edges));
  PetscFunctionReturn(0);
}

static void Edge(WalrasScenario *sc, PetscInt e, PetscInt from, PetscInt to, PetscReal w)
{
  sc->edges[e].from   = from;
  sc->edges[e].to     = to;
  sc->edges[e].weight = w;
}

/* A deterministic generator so every rank builds the same economy. */
static PetscReal Uniform(unsigned long long *state)
{
  *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
  return (PetscReal)(*state >> 11) / (PetscReal)(1ULL << 53);
}

static PetscErrorCode Layered(WalrasScenario *sc, PetscReal sigma)
{
  const PetscInt     layers = 8, width = 25, A = layers * width;
  PetscInt           E = 0, e = 0;
  unsigned long long seed = 7;

  PetscFunctionBegin;
  /* entries: layer 0; each agent of layer l < last has edges to 3 agents of layer l+1 and one skip
   * edge. */
  E = width + (layers - 1) * width * 3 + (layers - 2) * width;
  PetscCall(Allocate(sc, A, 2, 6, E, 600.0));
  for (PetscInt a = 0; a < A; a++) {
    char name[32];

    PetscCall(PetscSNPrintf(name, sizeof(name), "L%" PetscInt_FMT "_%" PetscInt_FMT, a / width,
                            a % width));
    PetscCall(AddAgent(sc, a, name, a % 3 ? WALRAS_FIRM_FRONTIER : WALRAS_FIRM_CAPACITY,
                       1.5 + Uniform(&seed)));
    for (PetscInt r = 0; r < 2; r++) {
      sc->agents[a].require[r] = 1.0 + 10.0 * Uniform(&seed);
      for (PetscInt k = 0; k < sc->K; k++)
        sc->agents[a].cap[r * sc->K + k] =
            (20.0 + 100.0 * Uniform(&seed)) * (1.0 + 0.3 * PetscSinReal((PetscReal)k));
    }
  }
  for (PetscInt b = 0; b < width; b++) Edge(sc, e++, -1, b, 1.0 + Uniform(&seed));
  for (PetscInt l = 0; l + 1 < layers; l++)
    for (PetscInt i = 0; i < width; i++)
      for (PetscInt j = 0; j < 3; j++)
        Edge(sc, e++, l * width + i, (l + 1) * width + (i + 7 * j) % width, 0.5 + Uniform(&seed));
  for (PetscInt l = 0; l + 2 < layers; l++)
    for (PetscInt i = 0; i < width; i++)
      Edge(sc, e++, l * width + i, (l + 2) * width + (i * 11 + 3) % width, 0.2 + Uniform(&seed));
  sc->sigma = sigma;
  for (PetscInt k = 0; k < sc->K; k++) sc->shares[k] = (1.0 + k) / 21.0;
  PetscFunctionReturn(0);
}

PetscErrorCode TestScenarioCreate(TestEconomy which, PetscReal sigma, WalrasScenario **scenario)
{
  WalrasScenario *sc;

  PetscFunctionBegin;
  PetscCall(PetscNew(&sc));
  switch (which) {
  case TEST_ECONOMY_BOTTLENECK:
    PetscCall(Allocate(sc, 2, 1, 1, 2, 60.0));
    PetscCall(AddAgent(sc, 0, "ingress", WALRAS_FIRM_CAPACITY, 0.0));
    PetscCall(AddAgent(sc, 1, "worker", WALRAS_FIRM_CAPACITY, 0.0));
    sc->agents[0].cap[0]     = 10.0;
    sc->agents[0].require[0] = 1.0;
    sc->agents[1].cap[0]     = 50.0;
    sc->agents[1].require[0] = 10.0;
    Edge(sc, 0, -1, 0, 1.0);
    Edge(sc, 1, 0, 1, 1.0);
    break;
  case TEST_ECONOMY_FRONTIER:
    PetscCall(Allocate(sc, 1, 2, 1, 1, 1.0));
    PetscCall(AddAgent(sc, 0, "solo", WALRAS_FIRM_FRONTIER, 2.0));
    sc->agents[0].cap[0] = sc->agents[0].cap[1] = 1.0;
    sc->agents[0].require[0] = sc->agents[0].require[1] = 1.0;
    Edge(sc, 0, -1, 0, 1.0);
    break;
  case TEST_ECONOMY_DIAMOND:
    /* 0 -> {1, 2} -> 3, plus 0 -> 3 directly and a second entry at 2. */
    PetscCall(Allocate(sc, 4, 2, 3, 7, 30.0));
    for (PetscInt a = 0; a < 4; a++) {
      char name[8];

      PetscCall(PetscSNPrintf(name, sizeof(name), "d%" PetscInt_FMT, a));
      PetscCall(AddAgent(sc, a, name, a == 2 ? WALRAS_FIRM_CAPACITY : WALRAS_FIRM_FRONTIER,
                         1.5 + 0.5 * a));
      for (PetscInt r = 0; r < 2; r++) {
        sc->agents[a].require[r] = 1.0 + a + 2.0 * r;
        for (PetscInt k = 0; k < 3; k++) sc->agents[a].cap[r * 3 + k] = 5.0 + a + r + 2.0 * k;
      }
    }
    Edge(sc, 0, -1, 0, 0.7);
    Edge(sc, 1, -1, 2, 0.3);
    Edge(sc, 2, 0, 1, 0.6);
    Edge(sc, 3, 0, 2, 0.3);
    Edge(sc, 4, 0, 3, 0.1);
    Edge(sc, 5, 1, 3, 1.0);
    Edge(sc, 6, 2, 3, 1.0);
    sc->shares[0] = 0.2;
    sc->shares[1] = 0.5;
    sc->shares[2] = 0.3;
    break;
  case TEST_ECONOMY_LAYERED:
    PetscCall(Layered(sc, sigma));
    break;
  }
  sc->sigma = sigma;
  *scenario = sc;
  PetscFunctionReturn(0);
}

PetscErrorCode TestScenarioDestroy(WalrasScenario **scenario)
{
  WalrasScenario *sc = *scenario;

  PetscFunctionBegin;
  for (PetscInt a = 0; a < sc->A; a++) {
    PetscCall(PetscFree(sc->agents[a].name));
    PetscCall(PetscFree(sc->agents[a].cap));
    PetscCall(PetscFree(sc->agents[a].require));
  }
  for (PetscInt r = 0; r < sc->R; r++) PetscCall(PetscFree(sc->metrics[r]));
  PetscCall(PetscFree(sc->metrics));
  PetscCall(PetscFree(sc->agents));
  PetscCall(PetscFree(sc->edges));
  PetscCall(PetscFree2(sc->dt, sc->shares));
  PetscCall(PetscFree(sc->name));
  PetscCall(PetscFree(sc->path));
  PetscCall(PetscFree(sc->text));
  PetscCall(PetscFree(sc));
  *scenario = NULL;
  PetscFunctionReturn(0);
}
