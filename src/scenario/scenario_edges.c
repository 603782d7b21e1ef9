/* edges: and the orchestrator's entry and exit agents. */
#include "scenario/scenario_impl.h"

static const char *const edge_keys[] = {"from", "to", "weight", NULL};

static PetscErrorCode AgentOf(WalrasYAMLNode node, const WalrasScenario *sc, PetscInt *a)
{
  const char *name;
  WalrasWhere where = WalrasWhereOfNode(node);

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(node, &name));
  *a = WalrasScenarioFindAgent(sc, name);
  WalrasWhereCheck(*a >= 0, &where, "expected the name of an agent, got '%s'", name);
  PetscFunctionReturn(0);
}

static PetscErrorCode WeightOf(WalrasYAMLNode node, PetscReal *w)
{
  WalrasWhere where = WalrasWhereOfNode(node);

  PetscFunctionBegin;
  *w = 1;
  if (!WalrasYAMLPresent(node)) PetscFunctionReturn(0);
  PetscCall(WalrasYAMLGetReal(node, w));
  WalrasWhereCheck(*w > 0, &where, "expected a weight > 0, got %.10g", (double)*w);
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseEdge(WalrasYAMLNode node, const WalrasScenario *sc, WalrasEdgeSpec *e)
{
  WalrasYAMLNode from, to, weight;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(node, edge_keys));
  PetscCall(WalrasYAMLMapGet(node, "from", PETSC_TRUE, &from));
  PetscCall(WalrasYAMLMapGet(node, "to", PETSC_TRUE, &to));
  PetscCall(WalrasYAMLMapGet(node, "weight", PETSC_FALSE, &weight));
  PetscCall(AgentOf(from, sc, &e->from));
  PetscCall(AgentOf(to, sc, &e->to));
  PetscCall(WeightOf(weight, &e->weight));
  PetscFunctionReturn(0);
}

/* Appends the entry edges of one orchestrator (from = -1, or -1 - h for
   tenant h): the agents its entry names, as a mapping name -> weight or a
   list of names (weight 1); by default every agent without predecessor,
   weight 1. */
static PetscErrorCode AddEntries(WalrasYAMLNode entry, PetscInt source, WalrasScenario *sc,
                                 WalrasScenarioSource *src)
{
  PetscInt nf = sc->E, n;

  PetscFunctionBegin;
  if (!WalrasYAMLPresent(entry)) {
    PetscBool *has_pred;

    PetscCall(PetscCalloc1(sc->A, &has_pred));
    for (PetscInt i = 0; i < nf; i++)
      if (sc->edges[i].from >= 0) has_pred[sc->edges[i].to] = PETSC_TRUE;
    for (PetscInt a = 0; a < sc->A; a++) {
      if (has_pred[a]) continue;
      sc->edges[sc->E] = (WalrasEdgeSpec){source, a, 1};
      src->edge[sc->E] = src->agent[a];
      sc->E++;
    }
    PetscCall(PetscFree(has_pred));
    PetscFunctionReturn(0);
  }
  if (WalrasYAMLKindOf(entry) == WALRAS_YAML_SEQUENCE)
    PetscCall(WalrasYAMLSeqLength(entry, &n));
  else
    PetscCall(WalrasYAMLMapSize(entry, &n));
  {
    /* No entry: the orchestrator's unit cost C_0 would be an empty CES
       aggregate and its tasks undefined. */
    WalrasWhere where = WalrasWhereOfNode(entry);

    WalrasWhereCheck(n > 0, &where,
                     "expected at least one entry agent (or no 'entry' for every agent without "
                     "predecessor), got an empty %s",
                     WalrasYAMLKindOf(entry) == WALRAS_YAML_SEQUENCE ? "list" : "mapping");
  }
  if (WalrasYAMLKindOf(entry) == WALRAS_YAML_SEQUENCE) {
    for (PetscInt i = 0; i < n; i++) {
      WalrasYAMLNode item;
      WalrasEdgeSpec e = {source, -1, 1};

      PetscCall(WalrasYAMLSeqItem(entry, i, &item));
      PetscCall(AgentOf(item, sc, &e.to));
      src->edge[sc->E]   = WalrasWhereOfNode(item);
      sc->edges[sc->E++] = e;
    }
    PetscFunctionReturn(0);
  }
  for (PetscInt i = 0; i < n; i++) {
    const char    *name;
    WalrasYAMLNode value;
    WalrasEdgeSpec e = {source, -1, 1};
    WalrasWhere    where;

    PetscCall(WalrasYAMLMapEntry(entry, i, &name, &value));
    e.to  = WalrasScenarioFindAgent(sc, name);
    where = WalrasWhereOfNode(value);
    WalrasWhereCheck(e.to >= 0, &where, "expected the name of an agent, got '%s'", name);
    PetscCall(WeightOf(value, &e.weight));
    src->edge[sc->E]   = where;
    sc->edges[sc->E++] = e;
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ParseExits(WalrasYAMLNode exit, const WalrasScenario *sc,
                                 WalrasScenarioSource *src)
{
  PetscFunctionBegin;
  src->n_exit = -1;
  if (!WalrasYAMLPresent(exit)) PetscFunctionReturn(0);
  src->exit_list = WalrasWhereOfNode(exit);
  PetscCall(WalrasYAMLSeqLength(exit, &src->n_exit));
  PetscCall(PetscMalloc1(src->n_exit, &src->exit));
  PetscCall(PetscMalloc1(src->n_exit, &src->exit_where));
  for (PetscInt i = 0; i < src->n_exit; i++) {
    WalrasYAMLNode item;

    PetscCall(WalrasYAMLSeqItem(exit, i, &item));
    src->exit_where[i] = WalrasWhereOfNode(item);
    PetscCall(AgentOf(item, sc, &src->exit[i]));
  }
  PetscFunctionReturn(0);
}

/* The entry node of each orchestrator: orchestrator.entry, or each
   tenant's entry (with tenants; already checked to be a list). */
static PetscErrorCode EntryNode(WalrasYAMLNode orchestrator, PetscInt h, WalrasYAMLNode *entry)
{
  WalrasYAMLNode tenants, item;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(orchestrator, "tenants", PETSC_FALSE, &tenants));
  if (!WalrasYAMLPresent(tenants)) {
    PetscCall(WalrasYAMLMapGet(orchestrator, "entry", PETSC_FALSE, entry));
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasYAMLSeqItem(tenants, h, &item));
  PetscCall(WalrasYAMLMapGet(item, "entry", PETSC_FALSE, entry));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseEdges(WalrasYAMLNode edges, WalrasYAMLNode orchestrator,
                                        WalrasScenario *sc, WalrasScenarioSource *src)
{
  WalrasYAMLNode  entry, exit;
  PetscInt        nf = 0, n_entry = 0, H = WalrasScenarioConsumers(sc);
  WalrasEdgeSpec *rotated;
  WalrasWhere    *rotated_where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(orchestrator, "exit", PETSC_FALSE, &exit));
  if (WalrasYAMLPresent(edges)) PetscCall(WalrasYAMLSeqLength(edges, &nf));
  for (PetscInt h = 0; h < H; h++) {
    PetscInt n = sc->A;

    PetscCall(EntryNode(orchestrator, h, &entry));
    if (WalrasYAMLKindOf(entry) == WALRAS_YAML_SEQUENCE)
      PetscCall(WalrasYAMLSeqLength(entry, &n));
    else if (WalrasYAMLPresent(entry))
      PetscCall(WalrasYAMLMapSize(entry, &n));
    n_entry += n;
  }
  PetscCall(PetscMalloc1(nf + n_entry, &sc->edges));
  PetscCall(PetscMalloc1(nf + n_entry, &src->edge));
  for (PetscInt i = 0; i < nf; i++) {
    WalrasYAMLNode node;

    PetscCall(WalrasYAMLSeqItem(edges, i, &node));
    src->edge[i] = WalrasWhereOfNode(node);
    PetscCall(ParseEdge(node, sc, &sc->edges[i]));
    sc->E = i + 1;
  }
  for (PetscInt h = 0; h < H; h++) {
    PetscCall(EntryNode(orchestrator, h, &entry));
    PetscCall(AddEntries(entry, -1 - h, sc, src));
  }
  PetscCall(ParseExits(exit, sc, src));

  /* Entry edges first, then the file's edges in file order. */
  if (sc->E == 0) PetscFunctionReturn(0);
  PetscCall(PetscMalloc1(sc->E, &rotated));
  PetscCall(PetscMalloc1(sc->E, &rotated_where));
  for (PetscInt i = 0; i < sc->E; i++) {
    PetscInt j = (i + nf) % sc->E;

    rotated[i]       = sc->edges[j];
    rotated_where[i] = src->edge[j];
  }
  PetscCall(PetscFree(sc->edges));
  PetscCall(PetscFree(src->edge));
  sc->edges = rotated;
  src->edge = rotated_where;
  PetscFunctionReturn(0);
}
