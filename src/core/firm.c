/* Supply of the firms of MODEL.md section 2: y_a(p) = argmax_{y in Y_a} <p_a, y>. */

#include <walras/economy.h>

#include <math.h>

/* Frontier: at each interval k, sum_r (y_r / cap_r)^gamma <= 1.  The closed
   form is homogeneous of degree 0 in the agent's prices, so it is evaluated on
   q = p * cap divided by its largest entry: the prices of slack agents decay
   towards 0 and q^e would underflow long before the ratios do. */
void WalrasFrontierSupply(PetscInt R, PetscInt K, PetscReal gamma, const PetscReal dt[],
                          const PetscReal p[], const PetscReal cap[], PetscReal y[],
                          PetscReal *profit)
{
  const PetscReal e     = gamma / (gamma - 1.0);
  PetscReal       total = 0.0;

  for (PetscInt k = 0; k < K; k++) {
    PetscReal qmax = 0.0, S = 0.0, scale;

    for (PetscInt r = 0; r < R; r++) qmax = PetscMax(qmax, p[r * K + k] * cap[r * K + k]);

    /* All prices zero: every point of the frontier earns 0; pick the
       symmetric one so supply stays continuous along equal prices. */
    if (qmax <= 0.0) {
      for (PetscInt r = 0; r < R; r++)
        y[r * K + k] = cap[r * K + k] * PetscPowReal((PetscReal)R, -1.0 / gamma);
      continue;
    }

    for (PetscInt r = 0; r < R; r++) S += PetscPowReal(p[r * K + k] * cap[r * K + k] / qmax, e);
    scale = PetscPowReal(S, -1.0 / gamma);
    for (PetscInt r = 0; r < R; r++) {
      PetscReal q = p[r * K + k] * cap[r * K + k] / qmax;

      y[r * K + k] = cap[r * K + k] * PetscPowReal(q, e - 1.0) * scale;
    }
    total += dt[k] * qmax * PetscPowReal(S, 1.0 / e);
  }
  *profit = total;
}

/* Capacity: 0 <= y <= cap, independently per good.  Supply is cap at every
   price; free disposal makes that right also at price 0. */
void WalrasCapacitySupply(PetscInt R, PetscInt K, const PetscReal dt[], const PetscReal p[],
                          const PetscReal cap[], PetscReal y[], PetscReal *profit)
{
  PetscReal total = 0.0;

  for (PetscInt r = 0; r < R; r++)
    for (PetscInt k = 0; k < K; k++) {
      y[r * K + k] = cap[r * K + k];
      total += dt[k] * p[r * K + k] * cap[r * K + k];
    }
  *profit = total;
}
