/* Binning a request trace onto the intervals of the horizon. */

#include "loaders/loaders_impl.h"

/*@ WalrasTraceBin - arrival and token rates of a trace per interval.

  Not collective.  Interval k is [t_k, t_k + dt[k]) with t_0 = 0; a request
  at time t falls in the interval that contains it, and requests at or after
  T = sum(dt) are dropped and counted in *dropped (which may be NULL).  Each
  output that is not NULL gets a PetscMalloc'ed [K] array (owned by the caller)
  of counts per second: requests, prompt tokens, generated tokens.  K >= 1 and
  dt[k] > 0 are input errors otherwise. @*/
PetscErrorCode WalrasTraceBin(const WalrasTrace *trace, PetscInt K, const PetscReal dt[],
                              PetscReal **arrival_rate, PetscReal **in_token_rate,
                              PetscReal **out_token_rate, PetscInt *dropped)
{
  PetscReal *count, *in, *out, end;
  PetscInt   k = 0, lost = 0;

  PetscFunctionBegin;
  WalrasCheckInput(K >= 1, "trace binning: expected K >= 1 intervals, got %" PetscInt_FMT, K);
  for (PetscInt j = 0; j < K; j++) {
    char len[32];

    /* formatted by the C library: PETSc's own %g would print 0 as "0." */
    snprintf(len, sizeof(len), "%g", (double)dt[j]);
    WalrasCheckInput(dt[j] > 0,
                     "trace binning: interval %" PetscInt_FMT " has length %s (expected > 0)", j,
                     len);
  }
  PetscCall(PetscCalloc3(K, &count, K, &in, K, &out));

  /* the requests are sorted, so one forward walk over the intervals suffices */
  end = dt[0];
  for (PetscInt i = 0; i < trace->n; i++) {
    while (k < K && trace->t[i] >= end) {
      k++;
      if (k < K) end += dt[k];
    }
    if (k == K) {
      lost = trace->n - i;
      break;
    }
    count[k] += 1;
    in[k] += trace->in_tokens[i];
    out[k] += trace->out_tokens[i];
  }

  for (PetscInt j = 0; j < K; j++) {
    count[j] /= dt[j];
    in[j] /= dt[j];
    out[j] /= dt[j];
  }
  if (arrival_rate) PetscCall(PetscMalloc1(K, arrival_rate));
  if (in_token_rate) PetscCall(PetscMalloc1(K, in_token_rate));
  if (out_token_rate) PetscCall(PetscMalloc1(K, out_token_rate));
  if (arrival_rate) PetscCall(PetscArraycpy(*arrival_rate, count, K));
  if (in_token_rate) PetscCall(PetscArraycpy(*in_token_rate, in, K));
  if (out_token_rate) PetscCall(PetscArraycpy(*out_token_rate, out, K));
  if (dropped) *dropped = lost;
  PetscCall(PetscFree3(count, in, out));
  PetscFunctionReturn(0);
}
