#pragma once

/* Small agent economies built in memory for the core tests, each with a
   property someone could get wrong. */

#include <walras/scenario.h>

typedef enum {
  TEST_ECONOMY_BOTTLENECK, /* ingress 10 tasks/s -> worker (50 tokens/s, 10 per task): n = 5 */
  TEST_ECONOMY_FRONTIER,   /* one frontier agent, R = 2, d = (1, 1), cap = (1, 1), gamma = 2: n =
                              1/sqrt(2) */
  TEST_ECONOMY_DIAMOND,    /* a DAG with branches, a skip edge and time-varying capacities */
  TEST_ECONOMY_LAYERED     /* a layered random DAG of about 200 agents (for rank-count tests) */
} TestEconomy;

/* Builds the scenario (freed with TestScenarioDestroy); sigma as given. */
PetscErrorCode TestScenarioCreate(TestEconomy which, PetscReal sigma, WalrasScenario **scenario);
PetscErrorCode TestScenarioDestroy(WalrasScenario **scenario);
