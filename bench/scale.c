/* Scale benchmark (bench/scale.sh): rounds of the agent economy against the
   machine's floor.  One row per run:
   - the floor of a round, max(bytes / triad bandwidth, transcendentals /
     pow throughput), both rates measured here, both counts from the code;
   - the time of a round split into supply, backward and forward sweeps, the
     consumer's reduction and the price update (PetscLog events);
   - peak memory (getrusage maxrss summed over ranks) per good;
   - latency and bandwidth of a ping-pong between ranks 0 and 1, and the
     rounds per second they project at 64 and 1024 ranks for the cut.
   usage: scale_bench SCENARIO.yaml [-rounds 20] [-walras_partition level] */

#include <walras/economy.h>
#include <walras/scenario.h>

#include <math.h>
#include <sys/resource.h>

#include "core/economyimpl.h"

static PetscLogEvent EVENT_UPDATE;

/* One tatonnement step with the solver's vectors (tatonnement.c): the
   relative step p_i <- p_i max(0.1, min(10, 1 + lam_i z_i / s_i)) (null
   goods, s_i = 0, keep their price), then <p, 1>_w = 1. */
static PetscErrorCode Update(WalrasMarket *market, Vec p, Vec z, Vec s, Vec lam)
{
  const PetscReal   *za, *sa, *la;
  PetscReal         *pa, local = 0.0, norm;
  PetscInt           n, start;
  WalrasWeightCursor wc;

  PetscFunctionBegin;
  PetscCall(PetscLogEventBegin(EVENT_UPDATE, 0, 0, 0, 0));
  PetscCall(VecGetLocalSize(p, &n));
  PetscCall(VecGetOwnershipRange(p, &start, NULL));
  wc = WalrasMarketWeights(market, start);
  PetscCall(VecGetArray(p, &pa));
  PetscCall(VecGetArrayRead(z, &za));
  PetscCall(VecGetArrayRead(s, &sa));
  PetscCall(VecGetArrayRead(lam, &la));
  for (PetscInt i = 0; i < n; i++) {
    if (sa[i] > 0.0) pa[i] *= PetscMin(PetscMax(1.0 + la[i] * za[i] / sa[i], 0.1), 10.0);
    local += WalrasWeightNext(&wc) * pa[i];
  }
  PetscCall(VecRestoreArrayRead(lam, &la));
  PetscCall(VecRestoreArrayRead(s, &sa));
  PetscCall(VecRestoreArrayRead(z, &za));
  PetscCall(VecRestoreArray(p, &pa));
  PetscCall(MPIU_Allreduce(&local, &norm, 1, MPIU_REAL, MPIU_SUM, PETSC_COMM_WORLD));
  PetscCall(VecScale(p, 1.0 / norm));
  PetscCall(PetscLogEventEnd(EVENT_UPDATE, 0, 0, 0, 0));
  PetscFunctionReturn(0);
}

static PetscReal Now(void)
{
  return (PetscReal)MPI_Wtime();
}

/* Triad a = b + s c over vectors of the local size: bytes per second. */
static PetscErrorCode Triad(Vec a, Vec b, Vec c, PetscReal *rate)
{
  PetscInt  n;
  PetscReal best = 1e30;

  PetscFunctionBegin;
  PetscCall(VecGetLocalSize(a, &n));
  for (int t = 0; t < 5; t++) {
    PetscReal t0;

    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    t0 = Now();
    PetscCall(VecWAXPY(a, 0.5, c, b));
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    best = PetscMin(best, Now() - t0);
  }
  {
    PetscInt N;

    PetscCall(VecGetSize(a, &N));
    *rate = 24.0 * (PetscReal)N / best; /* all ranks together */
  }
  PetscFunctionReturn(0);
}

/* pow over an array: evaluations per second, all ranks together. */
static PetscErrorCode PowRate(PetscInt n, PetscReal *rate)
{
  PetscReal  *x, sum = 0, best = 1e30, e = 2.0;
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCall(PetscMalloc1(n, &x));
  for (PetscInt i = 0; i < n; i++) x[i] = 0.5 + (PetscReal)(i % 1000) / 1000.0;
  for (int t = 0; t < 3; t++) {
    PetscReal t0;

    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    t0 = Now();
    for (PetscInt i = 0; i < n; i++) x[i] = PetscPowReal(x[i], e) + 0.25;
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    best = PetscMin(best, Now() - t0);
    e    = 1.0 / e;
  }
  for (PetscInt i = 0; i < n; i++) sum += x[i];
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  *rate = (PetscReal)n * size / best;
  PetscCall(PetscInfo(NULL, "checksum %g\n", (double)sum));
  PetscCall(PetscFree(x));
  PetscFunctionReturn(0);
}

/* Latency (s) and bandwidth (bytes/s) between ranks 0 and 1. */
static PetscErrorCode PingPong(PetscReal *latency, PetscReal *bandwidth)
{
  PetscMPIInt rank, size;
  const int   big = 1 << 22, reps = 200;
  char       *buf;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  *latency = *bandwidth = NAN;
  if (size < 2) PetscFunctionReturn(0);
  PetscCall(PetscCalloc1(big, &buf));
  for (int pass = 0; pass < 2; pass++) {
    int       len = pass ? big : 8, n = pass ? 10 : reps;
    PetscReal t0;

    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    t0 = Now();
    for (int i = 0; i < n; i++) {
      if (rank == 0) {
        PetscCallMPI(MPI_Send(buf, len, MPI_CHAR, 1, 0, PETSC_COMM_WORLD));
        PetscCallMPI(MPI_Recv(buf, len, MPI_CHAR, 1, 0, PETSC_COMM_WORLD, MPI_STATUS_IGNORE));
      } else if (rank == 1) {
        PetscCallMPI(MPI_Recv(buf, len, MPI_CHAR, 0, 0, PETSC_COMM_WORLD, MPI_STATUS_IGNORE));
        PetscCallMPI(MPI_Send(buf, len, MPI_CHAR, 0, 0, PETSC_COMM_WORLD));
      }
    }
    if (pass == 0)
      *latency = (Now() - t0) / (2.0 * n);
    else
      *bandwidth = (PetscReal)len / ((Now() - t0) / (2.0 * n) - *latency);
  }
  PetscCallMPI(MPI_Bcast(latency, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));
  PetscCallMPI(MPI_Bcast(bandwidth, 1, MPIU_REAL, 0, PETSC_COMM_WORLD));
  PetscCall(PetscFree(buf));
  PetscFunctionReturn(0);
}

static PetscErrorCode EventTime(PetscLogEvent ev, PetscReal *t)
{
  PetscEventPerfInfo info;
  PetscReal          mine;

  PetscFunctionBegin;
  PetscCall(PetscLogEventGetPerfInfo(0, ev, &info));
  mine = (PetscReal)info.time;
  PetscCallMPI(MPI_Allreduce(&mine, t, 1, MPIU_REAL, MPI_MAX, PETSC_COMM_WORLD));
  PetscFunctionReturn(0);
}

int main(int argc, char **argv)
{
  WalrasScenario   *sc;
  WalrasEconomy     ec;
  WalrasEconomyInfo info;
  WalrasMarket     *market;
  Vec               p, z, s, lam; /* what the adaptive tatonnement holds */
  char              path[PETSC_MAX_PATH_LEN] = "", part[32] = "level";
  PetscInt          rounds = 20, N, nfront = 0, nsucc = 0, nentry = 0;
  PetscReal     bw = 1, powrate = 1, lat = NAN, pbw = NAN, t0, total, tsup, tbwd, tfwd, tred, tupd;
  PetscReal     bytes, npow, floor_s, round_s, rss, rss_sum;
  PetscMPIInt   size, rank;
  struct rusage ru;

  PetscCall(PetscInitialize(&argc, &argv, NULL, NULL));
  PetscCall(WalrasErrorHandlerPush());
  PetscCall(PetscLogDefaultBegin());
  PetscCallMPI(MPI_Comm_size(PETSC_COMM_WORLD, &size));
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  if (argc > 1) PetscCall(PetscStrncpy(path, argv[1], sizeof(path)));
  PetscCall(PetscOptionsGetInt(NULL, NULL, "-rounds", &rounds, NULL));
  PetscCall(PetscOptionsGetString(NULL, NULL, "-walras_partition", part, sizeof(part), NULL));
  PetscCall(PetscLogEventRegister("WalrasUpdate", 0, &EVENT_UPDATE));

  PetscCall(WalrasScenarioLoad(path, &sc));
  PetscCall(WalrasEconomyCreate(PETSC_COMM_WORLD, sc, part, &ec));
  PetscCall(WalrasScenarioReleaseSlice(sc));
  PetscCall(WalrasEconomyGetInfo(ec, &info));
  PetscCall(WalrasEconomyGetMarket(ec, &market));
  PetscCall(WalrasEconomyCreatePrices(ec, &p));
  PetscCall(VecDuplicate(p, &z));
  PetscCall(VecDuplicate(p, &s));
  PetscCall(VecDuplicate(p, &lam));
  PetscCall(VecSet(lam, 0.9));
  PetscCall(VecGetSize(p, &N));

  /* Counts from the code (firm.c, routing.c, economy_eval.c), per round. */
  /* Counted on each rank's own agents: no rank holds the whole DAG. */
  {
    PetscInt counts[3] = {0, ec->n_entry, 0};

    for (PetscInt i = 0; i < ec->nlocal; i++) {
      counts[0] += ec->kind[i] == WALRAS_FIRM_FRONTIER;
      counts[2] += ec->succ_start[i + 1] > ec->succ_start[i];
    }
    PetscCallMPI(MPI_Allreduce(MPI_IN_PLACE, counts, 3, MPIU_INT, MPI_SUM, PETSC_COMM_WORLD));
    nfront = counts[0], nentry = counts[1], nsucc = counts[2];
  }
  /* pow: frontier supply 2R+2 per (agent, k) when R > 1; backward n+1 per
     agent with successors; forward 1 per edge; consumer 1 per entry. */
  npow = (PetscReal)sc->K * ((sc->R > 1 ? (PetscReal)nfront * (2 * sc->R + 2) : 0) +
                             (PetscReal)(sc->E - nentry) + (PetscReal)nsucc + 2.0 * nentry);
  /* Bytes a round must move at least: the market's evaluation reads p and
     cap and writes z and s into the solver's vectors, the update reads p,
     z, s and lam and writes the new p (9 doubles per good; N is far past
     the caches, so each is a trip to memory); and per edge and interval the
     unit cost read in the backward sweep and the flow written in the
     forward one.  The economy's own state (p_last, y, x) is not counted:
     a round could do without storing it. */
  bytes = 8.0 * (9.0 * (PetscReal)N + 2.0 * (PetscReal)(sc->E) * sc->K);

  PetscCall(Triad(z, p, lam, &bw)); /* z is only written, before the first evaluation */
  PetscCall(PowRate(PetscMin(N / size + 1, 4000000), &powrate));
  PetscCall(PingPong(&lat, &pbw));
  floor_s = PetscMax(bytes / bw, npow / powrate);

  /* Warm up once, then time the rounds on a clean log. */
  PetscCall(market->evaluate(market->ctx, p, z, s, NULL));
  PetscCall(Update(market, p, z, s, lam));
  {
    PetscReal s0, b0, f0, r0, u0;

    PetscCall(EventTime(WALRAS_EVENT_SUPPLY, &s0));
    PetscCall(EventTime(WALRAS_EVENT_BACKWARD, &b0));
    PetscCall(EventTime(WALRAS_EVENT_FORWARD, &f0));
    PetscCall(EventTime(WALRAS_EVENT_REDUCE, &r0));
    PetscCall(EventTime(EVENT_UPDATE, &u0));
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    t0 = Now();
    for (PetscInt r = 0; r < rounds; r++) {
      PetscCall(market->evaluate(market->ctx, p, z, s, NULL));
      PetscCall(Update(market, p, z, s, lam));
    }
    PetscCallMPI(MPI_Barrier(PETSC_COMM_WORLD));
    total = Now() - t0;
    PetscCall(EventTime(WALRAS_EVENT_SUPPLY, &tsup));
    PetscCall(EventTime(WALRAS_EVENT_BACKWARD, &tbwd));
    PetscCall(EventTime(WALRAS_EVENT_FORWARD, &tfwd));
    PetscCall(EventTime(WALRAS_EVENT_REDUCE, &tred));
    PetscCall(EventTime(EVENT_UPDATE, &tupd));
    tsup -= s0, tbwd -= b0, tfwd -= f0, tred -= r0, tupd -= u0;
  }
  round_s = total / rounds;

  getrusage(RUSAGE_SELF, &ru);
  rss = 1024.0 * (PetscReal)ru.ru_maxrss;
  PetscCallMPI(MPI_Allreduce(&rss, &rss_sum, 1, MPIU_REAL, MPI_SUM, PETSC_COMM_WORLD));

  /* Projection to P ranks: the measured compute per good split over P, plus
     two sweeps x levels x (2 messages of latency + this rank's share of the
     cut, K reals per edge, at the ping-pong bandwidth), plus 3 reductions of
     log2 P latencies.  The cut grows like (P - 1) times the cut per rank
     boundary measured here (the level partitioner cuts every level once per
     boundary). */
  {
    PetscReal compute          = (tsup + tbwd + tfwd + tred + tupd) / rounds * size, proj[2];
    PetscReal cut_per_boundary = size > 1 ? (PetscReal)info.cut_edges / (size - 1) : NAN;
    int       P[2]             = {64, 1024};

    for (int i = 0; i < 2; i++) {
      PetscReal cut_share = cut_per_boundary * (P[i] - 1) / P[i];
      PetscReal comm      = 2.0 * info.levels * (2.0 * lat + cut_share * sc->K * 8.0 / pbw) +
                       3.0 * PetscLog2Real((PetscReal)P[i]) * lat;

      proj[i] = 1.0 / (compute / P[i] + comm);
    }
    PetscCall(PetscPrintf(
        PETSC_COMM_WORLD,
        "| %" PetscInt_FMT " | %" PetscInt_FMT " | %" PetscInt_FMT " | %" PetscInt_FMT
        " | %d | %s | %" PetscInt_FMT " | %.3g | %.3g | %.3g | %.2f | %.3g | %.3g | %.3g | "
        "%.3g | %.3g | %.3g | %.0f | %.2g | %.2g | %.3g | %.3g |\n",
        sc->A, sc->R, sc->K, N, size, part, info.cut_edges, bw / 1e9, powrate / 1e6, floor_s * 1e3,
        round_s / floor_s, round_s * 1e3, tsup / rounds * 1e3, (tbwd + tfwd) / rounds * 1e3,
        tred / rounds * 1e3, tupd / rounds * 1e3,
        (total - tsup - tbwd - tfwd - tred - tupd) / rounds * 1e3, rss_sum / (PetscReal)N,
        lat * 1e6, pbw / 1e9, proj[0], proj[1]));
  }
  PetscCall(VecDestroy(&p));
  PetscCall(VecDestroy(&z));
  PetscCall(VecDestroy(&s));
  PetscCall(VecDestroy(&lam));
  PetscCall(WalrasEconomyDestroy(&ec));
  PetscCall(WalrasScenarioDestroy(&sc));
  PetscCall(PetscFinalize());
  return 0;
}
