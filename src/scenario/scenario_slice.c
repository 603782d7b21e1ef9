/* The slices of an arrays scenario (docs/scale.md): the star forest of their
   links, and the checks that need the far end of an edge, done without any
   rank holding the DAG: levels fall along every edge, each edge and entry
   is given once, every agent is reachable from an entry, and at sigma = 1 the
   weights out of every agent and of the entry sum to 1.  (Every agent
   reaches an exit by construction: a walk down the levels ends at an agent
   without successor.) */
#include "scenario/scenario_impl.h"

#include <limits.h>

PetscErrorCode WalrasAgreeInput(MPI_Comm comm, const char *msg)
{
  PetscMPIInt rank, mine, first;
  char        buf[512];

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(comm, &rank));
  mine = msg[0] ? rank : INT_MAX;
  PetscCallMPI(MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, comm));
  if (first == INT_MAX) PetscFunctionReturn(0);
  if (rank == first) PetscCall(PetscStrncpy(buf, msg, sizeof(buf)));
  PetscCallMPI(MPI_Bcast(buf, (PetscMPIInt)sizeof(buf), MPI_CHAR, first, comm));
  WalrasInputError("%s", buf);
}

PetscErrorCode WalrasScenarioSliceRanges(MPI_Comm comm, const WalrasScenario *sc, PetscInt **ranges)
{
  PetscMPIInt size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(PetscMalloc1(size + 1, ranges));
  PetscCallMPI(MPI_Allgather(&sc->slice->a0, 1, MPIU_INT, *ranges, 1, MPIU_INT, comm));
  (*ranges)[size] = sc->A;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioSliceLinks(MPI_Comm comm, const WalrasScenario *sc, PetscSF *links)
{
  const WalrasScenarioSlice *s  = sc->slice;
  const PetscInt             ne = s->out_start[s->n];
  PetscInt                  *ranges;
  PetscSFNode               *iremote;
  PetscMPIInt                size;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_size(comm, &size));
  PetscCall(WalrasScenarioSliceRanges(comm, sc, &ranges));
  PetscCall(PetscMalloc1(ne + s->nq + 1, &iremote));
  for (PetscInt j = 0; j < ne + s->nq; j++) {
    PetscInt    t     = j < ne ? s->target[j] : s->entry[j - ne];
    PetscMPIInt owner = WalrasRangeOwner(size, ranges, t);

    iremote[j].rank  = owner;
    iremote[j].index = t - ranges[owner];
  }
  PetscCall(PetscSFCreate(comm, links));
  PetscCall(PetscSFSetGraph(*links, s->n, ne + s->nq, NULL, PETSC_COPY_VALUES, iremote,
                            PETSC_OWN_POINTER));
  PetscCall(PetscSFSetUp(*links));
  PetscCall(PetscFree(ranges));
  PetscFunctionReturn(0);
}

#define LINK_ERROR(...)                                                                            \
  do {                                                                                             \
    PetscCall(PetscSNPrintf(msg, len, __VA_ARGS__));                                               \
    PetscFunctionReturn(0);                                                                        \
  } while (0)

/* Levels along the slice's edges (target levels from their owners), then
   repeated edges, within each source's list. */
static PetscErrorCode CheckEdges(const WalrasScenario *sc, const PetscInt *target_level, char *msg,
                                 size_t len)
{
  const WalrasScenarioSlice *s = sc->slice;
  PetscInt                  *t, *idx, most = 0;

  PetscFunctionBegin;
  msg[0] = 0;
  for (PetscInt i = 0; i < s->n; i++)
    for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++)
      if (!(s->level[i] > target_level[j]))
        LINK_ERROR("%s: dataset 'agents/level': edge %" PetscInt_FMT " (%" PetscInt_FMT
                   " -> %" PetscInt_FMT
                   "): expected the source higher than the target, got levels %" PetscInt_FMT
                   " and %" PetscInt_FMT,
                   sc->arrays, s->e0 + j, s->a0 + i, s->target[j], s->level[i], target_level[j]);
  for (PetscInt i = 0; i < s->n; i++) most = PetscMax(most, s->out_start[i + 1] - s->out_start[i]);
  PetscCall(PetscMalloc2(most + 1, &t, most + 1, &idx));
  for (PetscInt i = 0; i < s->n && !msg[0]; i++) {
    PetscInt n = s->out_start[i + 1] - s->out_start[i];

    for (PetscInt j = 0; j < n; j++) t[j] = s->target[s->out_start[i] + j], idx[j] = j;
    PetscCall(PetscSortIntWithArray(n, t, idx));
    for (PetscInt j = 1; j < n; j++)
      if (t[j] == t[j - 1]) {
        PetscInt first = PetscMin(idx[j], idx[j - 1]), again = PetscMax(idx[j], idx[j - 1]);

        PetscCall(PetscSNPrintf(msg, len,
                                "%s: dataset 'edges/pairs': index %" PetscInt_FMT
                                ": expected each edge once, got %" PetscInt_FMT " -> %" PetscInt_FMT
                                " again (first at index %" PetscInt_FMT ")",
                                sc->arrays, s->e0 + s->out_start[i] + again, s->a0 + i, t[j],
                                s->e0 + s->out_start[i] + first));
        break;
      }
  }
  PetscCall(PetscFree2(t, idx));
  PetscFunctionReturn(0);
}

/* Each entry agent once: the entries (an even split of the list, so a
   repeat may sit on another rank) are counted at their target, with the
   first and last index that name it. */
static PetscErrorCode CheckEntriesOnce(MPI_Comm comm, const WalrasScenario *sc, PetscSF links)
{
  const WalrasScenarioSlice *s  = sc->slice;
  const PetscInt             ne = s->out_start[s->n];
  PetscInt                  *leaf, *count, *first, *last, *selected;
  PetscSF                    entries;
  char                       msg[512] = "";

  PetscFunctionBegin;
  PetscCall(PetscMalloc2(ne + s->nq + 1, &leaf, s->nq + 1, &selected));
  PetscCall(PetscMalloc3(s->n + 1, &count, s->n + 1, &first, s->n + 1, &last));
  for (PetscInt i = 0; i < s->n; i++) count[i] = 0, first[i] = PETSC_MAX_INT, last[i] = -1;
  for (PetscInt q = 0; q < s->nq; q++) selected[q] = ne + q;
  PetscCall(PetscSFCreateEmbeddedLeafSF(links, s->nq, selected, &entries));
  for (PetscInt q = 0; q < s->nq; q++) leaf[ne + q] = 1;
  PetscCall(PetscSFReduceBegin(entries, MPIU_INT, leaf, count, MPI_SUM));
  PetscCall(PetscSFReduceEnd(entries, MPIU_INT, leaf, count, MPI_SUM));
  for (PetscInt q = 0; q < s->nq; q++) leaf[ne + q] = s->q0 + q;
  PetscCall(PetscSFReduceBegin(entries, MPIU_INT, leaf, first, MPI_MIN));
  PetscCall(PetscSFReduceEnd(entries, MPIU_INT, leaf, first, MPI_MIN));
  PetscCall(PetscSFReduceBegin(entries, MPIU_INT, leaf, last, MPI_MAX));
  PetscCall(PetscSFReduceEnd(entries, MPIU_INT, leaf, last, MPI_MAX));
  PetscCall(PetscSFDestroy(&entries));
  for (PetscInt i = 0; i < s->n; i++)
    if (count[i] > 1) {
      PetscCall(PetscSNPrintf(msg, sizeof(msg),
                              "%s: dataset 'entry/agent': index %" PetscInt_FMT
                              ": expected each entry agent once, got %" PetscInt_FMT
                              " again (first at index %" PetscInt_FMT ")",
                              sc->arrays, last[i], s->a0 + i, first[i]));
      break;
    }
  PetscCall(PetscFree2(leaf, selected));
  PetscCall(PetscFree3(count, first, last));
  PetscCall(WalrasAgreeInput(comm, msg));
  PetscFunctionReturn(0);
}

/* At sigma = 1 the weights are the exponents of a Cobb-Douglas split. */
static PetscErrorCode CheckUnitSigma(MPI_Comm comm, const WalrasScenario *sc)
{
  const WalrasScenarioSlice *s   = sc->slice;
  PetscReal                  sum = 0;
  char                       msg[512];

  PetscFunctionBegin;
  if (sc->sigma != 1) PetscFunctionReturn(0);
  for (PetscInt q = 0; q < s->nq; q++) sum += s->entry_weight[q];
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &sum, 1, MPIU_REAL, MPI_SUM, comm));
  WalrasCheckInput(PetscAbsReal(sum - 1) <= WALRAS_WEIGHT_SUM_TOL,
                   "%s: dataset 'entry/weight': sigma = 1 needs the outgoing edge weights of every "
                   "agent and of the entry to sum to 1 (the CES limit of MODEL.md section 3): "
                   "expected 1 for the entry weights, got %.10g",
                   sc->arrays, (double)sum);
  msg[0] = 0;
  for (PetscInt i = 0; i < s->n && !msg[0]; i++) {
    if (s->out_start[i] == s->out_start[i + 1]) continue;
    sum = 0;
    for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++) sum += s->weight[j];
    if (PetscAbsReal(sum - 1) > WALRAS_WEIGHT_SUM_TOL)
      PetscCall(PetscSNPrintf(msg, sizeof(msg),
                              "%s: dataset 'edges/weight': sigma = 1 needs the outgoing edge "
                              "weights of every agent and of the entry to sum to 1 (the CES limit "
                              "of MODEL.md section 3): expected 1 for agent 'a%" PetscInt_FMT
                              "', got %.10g",
                              sc->arrays, s->a0 + i, (double)sum));
  }
  PetscCall(WalrasAgreeInput(comm, msg));
  PetscFunctionReturn(0);
}

/* Marks the agents some task reaches: the entries' targets, then level by
   level from the top, the targets of marked agents.  One star forest per
   level keeps the work proportional to the edges, as in the sweeps. */
static PetscErrorCode CheckReachable(MPI_Comm comm, const WalrasScenario *sc, PetscSF links)
{
  const WalrasScenarioSlice *s  = sc->slice;
  const PetscInt             ne = s->out_start[s->n];
  PetscInt                  *reach, *pushed, *selected, top = 0, lost = PETSC_MAX_INT, n_sel;

  PetscFunctionBegin;
  PetscCall(PetscCalloc2(s->n + 1, &reach, ne + s->nq + 1, &pushed));
  PetscCall(PetscMalloc1(PetscMax(ne, s->nq) + 1, &selected));
  for (PetscInt i = 0; i < s->n; i++) top = PetscMax(top, s->level[i]);
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &top, 1, MPIU_INT, MPI_MAX, comm));

  for (PetscInt level = top + 1; level >= 1; level--) {
    PetscSF part;

    /* level top + 1 stands for the orchestrator: its links are the entries. */
    n_sel = 0;
    if (level == top + 1)
      for (PetscInt q = 0; q < s->nq; q++) selected[n_sel++] = ne + q, pushed[ne + q] = 1;
    else
      for (PetscInt i = 0; i < s->n; i++)
        if (s->level[i] == level)
          for (PetscInt j = s->out_start[i]; j < s->out_start[i + 1]; j++)
            selected[n_sel++] = j, pushed[j] = reach[i];
    PetscCall(PetscSFCreateEmbeddedLeafSF(links, n_sel, selected, &part));
    PetscCall(PetscSFReduceBegin(part, MPIU_INT, pushed, reach, MPI_MAX));
    PetscCall(PetscSFReduceEnd(part, MPIU_INT, pushed, reach, MPI_MAX));
    PetscCall(PetscSFDestroy(&part));
  }
  for (PetscInt i = 0; i < s->n && lost == PETSC_MAX_INT; i++)
    if (!reach[i]) lost = s->a0 + i;
  PetscCall(MPIU_Allreduce(MPI_IN_PLACE, &lost, 1, MPIU_INT, MPI_MIN, comm));
  PetscCall(PetscFree2(reach, pushed));
  PetscCall(PetscFree(selected));
  WalrasCheckInput(lost == PETSC_MAX_INT,
                   "%s: agent a%" PetscInt_FMT
                   " cannot be reached by any task: expected a path to it from an entry agent "
                   "(dataset 'entry/agent')",
                   sc->arrays, lost);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioSliceCheck(MPI_Comm comm, const WalrasScenario *sc)
{
  const WalrasScenarioSlice *s = sc->slice;
  PetscSF                    links;
  PetscInt                  *target_level;
  char                       msg[512];
  PetscErrorCode             ierr;

  PetscFunctionBegin;
  PetscCall(WalrasScenarioSliceLinks(comm, sc, &links));
  PetscCall(PetscMalloc1(s->out_start[s->n] + s->nq + 1, &target_level));
  PetscCall(PetscSFBcastBegin(links, MPIU_INT, s->level, target_level, MPI_REPLACE));
  PetscCall(PetscSFBcastEnd(links, MPIU_INT, s->level, target_level, MPI_REPLACE));
  ierr = CheckEdges(sc, target_level, msg, sizeof(msg));
  if (!ierr) ierr = WalrasAgreeInput(comm, msg);
  if (!ierr) ierr = CheckEntriesOnce(comm, sc, links);
  if (!ierr) ierr = CheckUnitSigma(comm, sc);
  if (!ierr) ierr = CheckReachable(comm, sc, links);
  PetscCall(PetscFree(target_level));
  PetscCall(PetscSFDestroy(&links));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioAgentName(const WalrasScenario *sc, PetscInt a, char *buf, size_t len)
{
  PetscFunctionBegin;
  if (sc->agents)
    PetscCall(PetscStrncpy(buf, sc->agents[a].name, len));
  else
    PetscCall(PetscSNPrintf(buf, len, "a%" PetscInt_FMT, a));
  PetscFunctionReturn(0);
}

static PetscErrorCode FreeSliceArrays(WalrasScenarioSlice *s)
{
  PetscFunctionBegin;
  PetscCall(PetscFree5(s->kind, s->level, s->out_start, s->gamma, s->require));
  PetscCall(PetscFree(s->cap));
  PetscCall(PetscFree2(s->target, s->weight));
  PetscCall(PetscFree2(s->entry, s->entry_weight));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioReleaseSlice(WalrasScenario *sc)
{
  PetscFunctionBegin;
  if (!sc->slice) PetscFunctionReturn(0);
  PetscCall(FreeSliceArrays(sc->slice));
  sc->slice->released = PETSC_TRUE;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioSliceDestroy(WalrasScenarioSlice **slice)
{
  PetscFunctionBegin;
  if (!*slice) PetscFunctionReturn(0);
  PetscCall(FreeSliceArrays(*slice));
  PetscCall(PetscFree(*slice));
  PetscFunctionReturn(0);
}
