/* Demand, excess demand and the complementarity residual of a classic
   economy, with its analytic Jacobian (docs/classic.md, docs/solvers.md).

   Every consumer kind has demand linear in income: x_h = m_h phi_h(p), with
     cobb_douglas  phi_g = a_g / p_g
     ces           phi_g = a_g p_g^-sigma / D,  D = sum_k a_k p_k^(1 - sigma)
     leontief      phi_g = a_g / <a, p>
   so that <p, phi_h(p)> = 1 and the budget binds exactly: <p, x_h> = m_h. */
#include <walras/classic.h>

#include <math.h>
#include <string.h>

/* phi_h(p) into phi[n_goods]; with dphi (n_goods x n_goods, row-major) also
   its derivatives dphi[g*n + k] = d phi_g / d p_k. */
static void ConsumerPhi(WalrasClassic eco, PetscInt h, const PetscReal p[], PetscReal phi[],
                        PetscReal dphi[])
{
  const WalrasClassicConsumer *c     = &eco->consumer[h];
  const PetscInt               n     = eco->n_goods;
  const PetscReal             *a     = c->coef;
  PetscReal                    denom = 0;

  if (dphi) memset(dphi, 0, sizeof(PetscReal) * (size_t)(n * n));
  switch (c->kind) {
  case WALRAS_CLASSIC_COBB_DOUGLAS:
    for (PetscInt g = 0; g < n; g++) {
      phi[g] = a[g] > 0 ? a[g] / p[g] : 0;
      if (dphi && a[g] > 0) dphi[g * n + g] = -phi[g] / p[g];
    }
    break;
  case WALRAS_CLASSIC_CES:
    /* Goods with a_g = 0 stay out of D: p_g^(1 - sigma) may be infinite at 0. */
    for (PetscInt g = 0; g < n; g++)
      if (a[g] > 0) denom += a[g] * PetscPowReal(p[g], 1 - c->sigma);
    for (PetscInt g = 0; g < n; g++)
      phi[g] = a[g] > 0 ? a[g] * PetscPowReal(p[g], -c->sigma) / denom : 0;
    /* d phi_g / d p_k = -sigma delta_gk phi_g / p_g - (1 - sigma) phi_g phi_k */
    if (dphi)
      for (PetscInt g = 0; g < n; g++) {
        if (a[g] <= 0) continue;
        for (PetscInt k = 0; k < n; k++) dphi[g * n + k] = -(1 - c->sigma) * phi[g] * phi[k];
        dphi[g * n + g] -= c->sigma * phi[g] / p[g];
      }
    break;
  case WALRAS_CLASSIC_LEONTIEF:
    for (PetscInt g = 0; g < n; g++) denom += a[g] * p[g];
    for (PetscInt g = 0; g < n; g++) phi[g] = a[g] / denom;
    if (dphi)
      for (PetscInt g = 0; g < n; g++)
        for (PetscInt k = 0; k < n; k++) dphi[g * n + k] = -phi[g] * phi[k];
    break;
  }
}

/* Unit profit <A_a, p> of every activity into pi[n_activities]. */
static void UnitProfit(WalrasClassic eco, const PetscReal p[], PetscReal pi[])
{
  for (PetscInt a = 0; a < eco->n_activities; a++) {
    const PetscReal *A = &eco->net_output[a * eco->n_goods];

    pi[a] = 0;
    for (PetscInt g = 0; g < eco->n_goods; g++) pi[a] += A[g] * p[g];
  }
}

PetscErrorCode WalrasClassicPriceFloor(WalrasClassic eco, PetscReal floor, PetscReal lo[])
{
  PetscFunctionBegin;
  for (PetscInt g = 0; g < eco->n_goods; g++) lo[g] = 0;
  for (PetscInt h = 0; h < eco->n_consumers; h++) {
    const WalrasClassicConsumer *c = &eco->consumer[h];

    for (PetscInt g = 0; g < eco->n_goods; g++)
      if (c->coef[g] > 0) lo[g] = floor;
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicIncome(WalrasClassic eco, const PetscReal p[], const PetscReal y[],
                                   PetscReal m[])
{
  PetscReal *pi;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(eco->n_activities + 1, &pi));
  UnitProfit(eco, p, pi);
  for (PetscInt h = 0; h < eco->n_consumers; h++) {
    const WalrasClassicConsumer *c = &eco->consumer[h];

    m[h] = 0;
    for (PetscInt g = 0; g < eco->n_goods; g++) m[h] += p[g] * c->endowment[g];
    if (y)
      for (PetscInt a = 0; a < eco->n_activities; a++) m[h] += c->firm_share[a] * y[a] * pi[a];
  }
  PetscCall(PetscFree(pi));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicDemand(WalrasClassic eco, PetscInt h, const PetscReal p[], PetscReal m,
                                   PetscReal x[])
{
  PetscFunctionBegin;
  PetscCheck(h >= 0 && h < eco->n_consumers, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "consumer %" PetscInt_FMT " out of range", h);
  ConsumerPhi(eco, h, p, x, NULL);
  for (PetscInt g = 0; g < eco->n_goods; g++) x[g] *= m;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicExcessDemand(WalrasClassic eco, const PetscReal p[],
                                         const PetscReal y[], PetscReal z[], PetscReal x[],
                                         PetscReal m[])
{
  const PetscInt n = eco->n_goods;
  PetscReal     *inc, *xh;

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(eco->n_consumers, &inc, n, &xh));
  PetscCall(WalrasClassicIncome(eco, p, y, inc));
  for (PetscInt g = 0; g < n; g++) z[g] = 0;
  for (PetscInt h = 0; h < eco->n_consumers; h++) {
    PetscCall(WalrasClassicDemand(eco, h, p, inc[h], xh));
    for (PetscInt g = 0; g < n; g++) z[g] += xh[g];
  }
  if (x)
    for (PetscInt g = 0; g < n; g++) x[g] = z[g];
  for (PetscInt h = 0; h < eco->n_consumers; h++)
    for (PetscInt g = 0; g < n; g++) z[g] -= eco->consumer[h].endowment[g];
  if (y)
    for (PetscInt a = 0; a < eco->n_activities; a++)
      for (PetscInt g = 0; g < n; g++) z[g] -= eco->net_output[a * n + g] * y[a];
  if (m)
    for (PetscInt h = 0; h < eco->n_consumers; h++) m[h] = inc[h];
  PetscCall(PetscFree2(inc, xh));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicNormalise(WalrasClassic eco, PetscReal p[], const PetscReal y[])
{
  PetscReal now = 0, *m;

  PetscFunctionBegin;
  switch (eco->numeraire.kind) {
  case WALRAS_CLASSIC_NUMERAIRE_PRICE:
    now = p[eco->numeraire.index];
    break;
  case WALRAS_CLASSIC_NUMERAIRE_SUM:
    for (PetscInt g = 0; g < eco->n_goods; g++) now += p[g];
    break;
  case WALRAS_CLASSIC_NUMERAIRE_INCOME:
    /* Incomes are linear in p at fixed activity levels. */
    PetscCall(PetscMalloc1(eco->n_consumers, &m));
    PetscCall(WalrasClassicIncome(eco, p, y, m));
    now = m[eco->numeraire.index];
    PetscCall(PetscFree(m));
    break;
  }
  PetscCheck(now > 0, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "%s: cannot normalise prices: the numeraire's value is %.15g", eco->path, (double)now);
  for (PetscInt g = 0; g < eco->n_goods; g++) p[g] *= eco->numeraire.value / now;
  PetscFunctionReturn(0);
}

/* The numeraire's function N(p, y) and, in dNp[n_goods] and dNy[n_activities],
   its derivatives. */
static PetscErrorCode Numeraire(WalrasClassic eco, const PetscReal p[], const PetscReal y[],
                                const PetscReal pi[], PetscReal *N, PetscReal dNp[],
                                PetscReal dNy[])
{
  const PetscInt n = eco->n_goods, j = eco->numeraire.index;

  PetscFunctionBegin;
  *N = 0;
  for (PetscInt k = 0; k < n; k++) dNp[k] = 0;
  for (PetscInt a = 0; a < eco->n_activities; a++) dNy[a] = 0;
  switch (eco->numeraire.kind) {
  case WALRAS_CLASSIC_NUMERAIRE_PRICE:
    *N     = p[j];
    dNp[j] = 1;
    break;
  case WALRAS_CLASSIC_NUMERAIRE_SUM:
    *N = 0;
    for (PetscInt k = 0; k < n; k++) {
      *N += p[k];
      dNp[k] = 1;
    }
    break;
  case WALRAS_CLASSIC_NUMERAIRE_INCOME: {
    const WalrasClassicConsumer *c = &eco->consumer[j];

    *N = 0;
    for (PetscInt k = 0; k < n; k++) {
      dNp[k] = c->endowment[k];
      for (PetscInt a = 0; a < eco->n_activities; a++)
        dNp[k] += c->firm_share[a] * y[a] * eco->net_output[a * n + k];
      *N += dNp[k] * p[k];
    }
    for (PetscInt a = 0; a < eco->n_activities; a++) dNy[a] = c->firm_share[a] * pi[a];
  } break;
  }
  PetscFunctionReturn(0);
}

/* Adds consumer h's part of the Jacobian of -z to the rows of the goods:
   d x_hg / d p_k = m_h dphi_gk + phi_g b_hk with b_hk = d m_h / d p_k, and
   d x_hg / d y_a = phi_g theta_ha pi_a. */
static void AddConsumerJacobian(WalrasClassic eco, PetscInt h, const PetscReal p[],
                                const PetscReal y[], const PetscReal pi[], PetscReal m,
                                PetscReal *phi, PetscReal *dphi, PetscReal *b, PetscReal J[])
{
  const WalrasClassicConsumer *c = &eco->consumer[h];
  const PetscInt               n = eco->n_goods, na = eco->n_activities, nu = n + na;

  ConsumerPhi(eco, h, p, phi, dphi);
  for (PetscInt k = 0; k < n; k++) {
    b[k] = c->endowment[k];
    for (PetscInt a = 0; a < na; a++) b[k] += c->firm_share[a] * y[a] * eco->net_output[a * n + k];
  }
  for (PetscInt g = 0; g < n; g++) {
    for (PetscInt k = 0; k < n; k++) J[g * nu + k] -= m * dphi[g * n + k] + phi[g] * b[k];
    for (PetscInt a = 0; a < na; a++) J[g * nu + n + a] -= phi[g] * c->firm_share[a] * pi[a];
  }
}

PetscErrorCode WalrasClassicMCPEvaluate(WalrasClassic eco, const PetscReal u[], PetscReal F[],
                                        PetscReal J[])
{
  const PetscInt   n = eco->n_goods, na = eco->n_activities, nu = n + na;
  const PetscReal *p = u, *y = u + n;
  const PetscBool  spread = (PetscBool)(eco->numeraire.kind != WALRAS_CLASSIC_NUMERAIRE_PRICE);
  const PetscInt   j      = eco->numeraire.index;
  PetscReal       *z, *m, *pi, *dNp, *dNy, *phi, *dphi, *b, N = 0;

  PetscFunctionBegin;
  PetscCall(PetscMalloc7(n, &z, eco->n_consumers, &m, na + 1, &pi, n, &dNp, na + 1, &dNy, n, &phi,
                         n * n, &dphi));
  PetscCall(PetscMalloc1(n, &b));
  UnitProfit(eco, p, pi);
  PetscCall(WalrasClassicExcessDemand(eco, p, y, z, NULL, m));
  PetscCall(Numeraire(eco, p, y, pi, &N, dNp, dNy));

  /* A numeraire good's market row becomes p_j - v (its market then clears
     by Walras' law); any other numeraire adds N - v to every market row. */
  if (F) {
    for (PetscInt g = 0; g < n; g++) F[g] = -z[g] + (spread ? N - eco->numeraire.value : 0);
    if (!spread) F[j] = p[j] - eco->numeraire.value;
    for (PetscInt a = 0; a < na; a++) F[n + a] = -pi[a];
  }
  if (J) {
    memset(J, 0, sizeof(PetscReal) * (size_t)(nu * nu));
    for (PetscInt h = 0; h < eco->n_consumers; h++)
      AddConsumerJacobian(eco, h, p, y, pi, m[h], phi, dphi, b, J);
    for (PetscInt g = 0; g < n; g++) {
      for (PetscInt k = 0; k < n && spread; k++) J[g * nu + k] += dNp[k];
      for (PetscInt a = 0; a < na; a++)
        J[g * nu + n + a] += eco->net_output[a * n + g] + (spread ? dNy[a] : 0);
    }
    if (!spread) {
      for (PetscInt k = 0; k < nu; k++) J[j * nu + k] = 0;
      J[j * nu + j] = 1;
    }
    for (PetscInt a = 0; a < na; a++)
      for (PetscInt k = 0; k < n; k++) J[(n + a) * nu + k] = -eco->net_output[a * n + k];
  }
  PetscCall(PetscFree7(z, m, pi, dNp, dNy, phi, dphi));
  PetscCall(PetscFree(b));
  PetscFunctionReturn(0);
}
