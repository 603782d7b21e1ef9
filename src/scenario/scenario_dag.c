/* The DAG rules: edges between known agents with weights > 0, each once, no
   cycle, every agent reachable from an entry, every sink an exit, and the
   weights the CES limit needs at sigma = 1.

   The finders below only look; the checks free what they hold before they
   raise, so that a bad scenario leaks nothing. */
#include "scenario/scenario_impl.h"

#include <math.h>

/* Outgoing edges in CSR form; node 0 is the orchestrator's source, node
   a + 1 is agent a. */
typedef struct {
  PetscInt *start; /* [A+2] */
  PetscInt *edge;  /* [E] edge indices, in edge order within each node */
} Out;

/* Longest cycle text in a message; longer ones end in "...". */
#define WALRAS_CYCLE_TEXT 600

static const char *FileOf(const WalrasScenario *sc)
{
  return sc->path ? sc->path : sc->name;
}

static WalrasWhere EdgeWhere(const WalrasScenario *sc, const WalrasScenarioSource *src, PetscInt i)
{
  if (src) return src->edge[i];
  return WalrasWhereOfKey(FileOf(sc), 0, "edges[%d]", (int)i);
}

static WalrasWhere AgentWhere(const WalrasScenario *sc, const WalrasScenarioSource *src, PetscInt a)
{
  if (src) return src->agent[a];
  return WalrasWhereOfKey(FileOf(sc), 0, "agents[%d]", (int)a);
}

static const char *NameOf(const WalrasScenario *sc, PetscInt a)
{
  if (a < 0 && sc->H > 1) return sc->tenants[WalrasEntryTenant(a)].name;
  return a < 0 ? "(orchestrator)" : sc->agents[a].name;
}

/* The node of an edge's source: 0 for every orchestrator's (the virtual
   source), a + 1 for agent a. */
static inline PetscInt SourceNode(PetscInt from)
{
  return from < 0 ? 0 : from + 1;
}

static PetscErrorCode CheckEdgeValues(const WalrasScenario *sc, const WalrasScenarioSource *src)
{
  PetscFunctionBegin;
  for (PetscInt i = 0; i < sc->E; i++) {
    const WalrasEdgeSpec *e     = &sc->edges[i];
    WalrasWhere           where = EdgeWhere(sc, src, i);

    if (sc->H > 1)
      WalrasWhereCheck(e->from >= -sc->H && e->from < sc->A && e->to >= 0 && e->to < sc->A, &where,
                       "expected agent indices in [0, %" PetscInt_FMT "), or from = -1 - h for an "
                       "entry of tenant h < %" PetscInt_FMT ", got %" PetscInt_FMT
                       " -> %" PetscInt_FMT,
                       sc->A, sc->H, e->from, e->to);
    else
      WalrasWhereCheck(e->from >= -1 && e->from < sc->A && e->to >= 0 && e->to < sc->A, &where,
                       "expected agent indices in [0, %" PetscInt_FMT "), or from = -1 for an "
                       "entry, got %" PetscInt_FMT " -> %" PetscInt_FMT,
                       sc->A, e->from, e->to);
    WalrasWhereCheck(isfinite(e->weight) && e->weight > 0, &where,
                     "expected a weight > 0, got %.10g", (double)e->weight);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode OutCreate(const WalrasScenario *sc, Out *out)
{
  PetscInt *fill;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(sc->A + 2, &out->start));
  PetscCall(PetscMalloc1(sc->E + 1, &out->edge));
  PetscCall(PetscMalloc1(sc->A + 1, &fill));
  for (PetscInt i = 0; i < sc->E; i++) out->start[SourceNode(sc->edges[i].from) + 1]++;
  for (PetscInt v = 0; v <= sc->A; v++) out->start[v + 1] += out->start[v];
  for (PetscInt v = 0; v <= sc->A; v++) fill[v] = out->start[v];
  for (PetscInt i = 0; i < sc->E; i++) out->edge[fill[SourceNode(sc->edges[i].from)]++] = i;
  PetscCall(PetscFree(fill));
  PetscFunctionReturn(0);
}

static PetscErrorCode OutDestroy(Out *out)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(out->start));
  PetscCall(PetscFree(out->edge));
  PetscFunctionReturn(0);
}

/* The first edge (in edge order) that repeats an earlier one, in *dup, and
   that earlier one in *first; -1 when every edge is given once.  At the
   virtual source only edges of the same orchestrator repeat each other:
   two tenants may enter at the same agent. */
static PetscErrorCode FindDuplicate(const WalrasScenario *sc, const Out *out, PetscInt *dup,
                                    PetscInt *first)
{
  PetscInt *seen; /* seen[b]: the edge into b from the node being scanned, or -1 */

  PetscFunctionBegin;
  *dup = *first = -1;
  PetscCall(PetscMalloc1(sc->A, &seen));
  for (PetscInt b = 0; b < sc->A; b++) seen[b] = -1;
  for (PetscInt v = 0; v <= sc->A; v++) {
    for (PetscInt j = out->start[v]; j < out->start[v + 1]; j++) {
      PetscInt i = out->edge[j], b = sc->edges[i].to;

      if (v == 0) {
        for (PetscInt jj = out->start[0]; jj < j; jj++) {
          PetscInt ii = out->edge[jj];

          if (sc->edges[ii].to == b && sc->edges[ii].from == sc->edges[i].from &&
              (*dup < 0 || i < *dup)) {
            *dup = i, *first = ii;
            break;
          }
        }
        continue;
      }
      if (seen[b] >= 0 && (*dup < 0 || i < *dup)) *dup = i, *first = seen[b];
      if (seen[b] < 0) seen[b] = i;
    }
    for (PetscInt j = out->start[v]; j < out->start[v + 1]; j++)
      seen[sc->edges[out->edge[j]].to] = -1;
  }
  PetscCall(PetscFree(seen));
  PetscFunctionReturn(0);
}

/* Depth-first search over the agents in scenario order, edges in edge order.
   On a cycle, *closing is the edge that closes it and text reads
   "A -> B -> C -> A"; otherwise *closing = -1. */
static PetscErrorCode FindCycle(const WalrasScenario *sc, const Out *out, PetscInt *closing,
                                char text[], size_t len)
{
  PetscInt *state, *next, *stack, *pos, depth = 0;

  PetscFunctionBegin;
  *closing = -1;
  PetscCall(PetscCalloc1(sc->A, &state)); /* 0 new, 1 on the stack, 2 done */
  PetscCall(PetscMalloc1(sc->A, &next));  /* next outgoing slot to follow */
  PetscCall(PetscMalloc1(sc->A, &stack));
  PetscCall(PetscMalloc1(sc->A, &pos)); /* depth of an agent on the stack */
  for (PetscInt root = 0; root < sc->A && *closing < 0; root++) {
    if (state[root]) continue;
    stack[depth = 0] = root, state[root] = 1, pos[root] = 0, next[root] = out->start[root + 1];
    while (depth >= 0 && *closing < 0) {
      PetscInt a = stack[depth];

      if (next[a] == out->start[a + 2]) {
        state[a] = 2, depth--;
        continue;
      }
      PetscInt i = out->edge[next[a]++], b = sc->edges[i].to;

      if (state[b] == 1) {
        size_t used = 0;

        *closing = i;
        for (PetscInt d = pos[b]; d <= depth && used < len; d++)
          used += (size_t)snprintf(text + used, len - used, "%s -> ", sc->agents[stack[d]].name);
        if (used < len) snprintf(text + used, len - used, "%s", sc->agents[b].name);
        if (used >= len - 4) snprintf(text + len - 4, 4, "...");
      } else if (state[b] == 0) {
        stack[++depth] = b, state[b] = 1, pos[b] = depth, next[b] = out->start[b + 1];
      }
    }
  }
  PetscCall(PetscFree(state));
  PetscCall(PetscFree(next));
  PetscCall(PetscFree(stack));
  PetscCall(PetscFree(pos));
  PetscFunctionReturn(0);
}

/* The first agent (scenario order) no path from the source reaches, or -1. */
static PetscErrorCode FindUnreachable(const WalrasScenario *sc, const Out *out, PetscInt *agent)
{
  PetscBool *seen;
  PetscInt  *queue, head = 0, tail = 0;

  PetscFunctionBegin;
  *agent = -1;
  PetscCall(PetscCalloc1(sc->A + 1, &seen));
  PetscCall(PetscMalloc1(sc->A + 1, &queue));
  queue[tail++] = 0, seen[0] = PETSC_TRUE;
  while (head < tail) {
    PetscInt v = queue[head++];

    for (PetscInt j = out->start[v]; j < out->start[v + 1]; j++) {
      PetscInt w = sc->edges[out->edge[j]].to + 1;

      if (!seen[w]) seen[w] = PETSC_TRUE, queue[tail++] = w;
    }
  }
  for (PetscInt a = sc->A - 1; a >= 0; a--)
    if (!seen[a + 1]) *agent = a;
  PetscCall(PetscFree(seen));
  PetscCall(PetscFree(queue));
  PetscFunctionReturn(0);
}

/* Exits (when the file names them) must be exactly the agents without
   successor: a task leaves only where routing ends (MODEL.md section 3). */
static PetscErrorCode CheckExits(const WalrasScenario *sc, const WalrasScenarioSource *src,
                                 const Out *out)
{
  PetscFunctionBegin;
  if (!src || src->n_exit < 0) PetscFunctionReturn(0);
  for (PetscInt i = 0; i < src->n_exit; i++) {
    PetscInt a = src->exit[i], n = out->start[a + 2] - out->start[a + 1];

    WalrasWhereCheck(n == 0, &src->exit_where[i],
                     "expected exits without successors, got '%s', which has %" PetscInt_FMT
                     " successor%s",
                     sc->agents[a].name, n, n == 1 ? "" : "s");
  }
  for (PetscInt a = 0; a < sc->A; a++) {
    PetscBool listed = PETSC_FALSE;

    if (out->start[a + 1] < out->start[a + 2]) continue;
    for (PetscInt i = 0; i < src->n_exit; i++)
      if (src->exit[i] == a) listed = PETSC_TRUE;
    WalrasWhereCheck(listed, &src->agent[a],
                     "agent '%s' has no successor, so expected it among the exits "
                     "(orchestrator.exit), got a sink that is not an exit: no task could leave it",
                     sc->agents[a].name);
  }
  PetscFunctionReturn(0);
}

/* At sigma = 1 the CES aggregate is a weighted geometric mean, which exists
   only when each node's outgoing weights sum to 1 (MODEL.md section 3). */
static PetscErrorCode CheckUnitSigma(const WalrasScenario *sc, const WalrasScenarioSource *src,
                                     const Out *out)
{
  WalrasWhere where = src ? src->sigma : WalrasWhereOfKey(FileOf(sc), 0, "sigma");

  PetscFunctionBegin;
  if (sc->sigma != 1) PetscFunctionReturn(0);
  /* The entry weights of each orchestrator (virtual source 0 holds them all;
     from = -1 - h tells whose), then each agent's outgoing weights. */
  for (PetscInt h = 0; h < WalrasScenarioConsumers(sc); h++) {
    PetscReal sum = 0;
    PetscInt  n   = 0;

    for (PetscInt j = out->start[0]; j < out->start[1]; j++)
      if (sc->edges[out->edge[j]].from == -1 - h) sum += sc->edges[out->edge[j]].weight, n++;
    if (n == 0) continue; /* no entry: reported as unreachable agents */
    WalrasWhereCheck(PetscAbsReal(sum - 1) <= WALRAS_WEIGHT_SUM_TOL, &where,
                     "sigma = 1 needs the outgoing edge weights of every agent and of the entry "
                     "to sum to 1 (the CES limit of MODEL.md section 3): expected 1 for the entry "
                     "weights%s%s%s, got %.10g",
                     sc->H > 1 ? " of tenant '" : "", sc->H > 1 ? sc->tenants[h].name : "",
                     sc->H > 1 ? "'" : "", (double)sum);
  }
  for (PetscInt v = 1; v <= sc->A; v++) {
    PetscReal sum = 0;

    if (out->start[v] == out->start[v + 1]) continue;
    for (PetscInt j = out->start[v]; j < out->start[v + 1]; j++)
      sum += sc->edges[out->edge[j]].weight;
    WalrasWhereCheck(PetscAbsReal(sum - 1) <= WALRAS_WEIGHT_SUM_TOL, &where,
                     "sigma = 1 needs the outgoing edge weights of every agent and of the entry "
                     "to sum to 1 (the CES limit of MODEL.md section 3): expected 1 for agent "
                     "'%s', got %.10g",
                     NameOf(sc, v - 1), (double)sum);
  }
  PetscFunctionReturn(0);
}

/* The first of: a repeated edge, a cycle, an agent no task reaches. */
static PetscErrorCode RaiseStructure(const WalrasScenario *sc, const WalrasScenarioSource *src,
                                     PetscInt dup, PetscInt first, PetscInt closing,
                                     const char cycle[], PetscInt lost)
{
  WalrasWhere where;

  PetscFunctionBegin;
  if (dup >= 0) {
    WalrasWhere earlier = EdgeWhere(sc, src, first);
    char        at[32]  = "";

    if (earlier.line > 0) snprintf(at, sizeof(at), " at line %d", earlier.line);
    where = EdgeWhere(sc, src, dup);
    WalrasWhereCheck(
        PETSC_FALSE, &where, "expected each edge once, got %s -> %s again (first given as '%s'%s)",
        NameOf(sc, sc->edges[dup].from), NameOf(sc, sc->edges[dup].to), earlier.key, at);
  }
  if (closing >= 0) {
    where = EdgeWhere(sc, src, closing);
    WalrasWhereCheck(PETSC_FALSE, &where, "the agent DAG has a cycle: %s", cycle);
  }
  if (lost >= 0) {
    where = AgentWhere(sc, src, lost);
    WalrasWhereCheck(PETSC_FALSE, &where,
                     "agent '%s' cannot be reached by any task: expected a path to it from an "
                     "entry agent (%s, or an agent without predecessor)",
                     sc->agents[lost].name, sc->H > 1 ? "a tenant's entry" : "orchestrator.entry");
  }
  PetscFunctionReturn(0);
}

/* The checks walk the whole DAG on every rank: for YAML scenarios, which are
   replicated.  Arrays scenarios are checked slice by slice
   (scenario_slice.c). */
PetscErrorCode WalrasScenarioCheckDAG(const WalrasScenario *sc, const WalrasScenarioSource *src)
{
  Out            out;
  PetscInt       dup, first, closing, lost;
  char           cycle[WALRAS_CYCLE_TEXT];
  PetscErrorCode ierr;

  PetscFunctionBegin;
  PetscCall(CheckEdgeValues(sc, src));
  PetscCall(OutCreate(sc, &out));
  PetscCall(FindDuplicate(sc, &out, &dup, &first));
  PetscCall(FindCycle(sc, &out, &closing, cycle, sizeof(cycle)));
  PetscCall(FindUnreachable(sc, &out, &lost));
  ierr = RaiseStructure(sc, src, dup, first, closing, cycle, lost);
  if (!ierr) ierr = CheckExits(sc, src, &out);
  if (!ierr) ierr = CheckUnitSigma(sc, src, &out);
  PetscCall(OutDestroy(&out));
  PetscCall(ierr);
  PetscFunctionReturn(0);
}
