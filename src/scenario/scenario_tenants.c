/* orchestrator.tenants: several orchestrators (consumers of MODEL.md
   section 3) that share the agents, each with its own demand, entry agents
   and share of the firms' profits. */
#include "scenario/scenario_impl.h"

#include <string.h>

static const char *const tenant_keys[] = {"name", "demand", "entry", "firm_share", NULL};

PetscInt WalrasScenarioFindTenant(const WalrasScenario *sc, const char *name)
{
  for (PetscInt h = 0; h < sc->H; h++)
    if (sc->tenants[h].name && !strcmp(sc->tenants[h].name, name)) return h;
  return -1;
}

/* Name and demand of tenant h; ParseDemand fills sc->shares and
   sc->arrivals, which move to the tenant at once so that every array has
   exactly one owner if a later check fails. */
static PetscErrorCode ParseTenant(WalrasYAMLNode node, PetscInt h, WalrasScenario *sc)
{
  WalrasTenantSpec *t = &sc->tenants[h];
  WalrasYAMLNode    name, demand;
  const char       *text;
  WalrasWhere       where;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(node, tenant_keys));
  PetscCall(WalrasYAMLMapGet(node, "name", PETSC_TRUE, &name));
  PetscCall(WalrasYAMLGetString(name, &text));
  where = WalrasWhereOfNode(name);
  WalrasWhereCheck(text[0] && WalrasScenarioFindTenant(sc, text) < 0, &where,
                   "expected a unique, non-empty tenant name, got '%s'%s", text,
                   text[0] ? " twice" : "");
  /* The name is a group of the output file (/equilibrium/tenants/NAME). */
  WalrasWhereCheck(!strchr(text, '/') && strcmp(text, "."), &where,
                   "expected a tenant name without '/' and other than '.' (it names a group of "
                   "the output), got '%s'",
                   text);
  PetscCall(PetscStrallocpy(text, &t->name));
  PetscCall(WalrasYAMLMapGet(node, "demand", PETSC_TRUE, &demand));
  PetscCall(WalrasScenarioParseDemand(demand, sc));
  t->shares    = sc->shares;
  t->arrivals  = sc->arrivals;
  sc->shares   = NULL;
  sc->arrivals = NULL;
  PetscFunctionReturn(0);
}

/* firm_share for every tenant or for none (then 1/H each); > 0, sum 1. */
static PetscErrorCode ParseFirmShares(WalrasYAMLNode tenants, WalrasScenario *sc)
{
  PetscInt    given = 0;
  PetscReal   sum   = 0.0;
  WalrasWhere where = WalrasWhereOfNode(tenants);

  PetscFunctionBegin;
  for (PetscInt h = 0; h < sc->H; h++) {
    WalrasYAMLNode item, share;

    PetscCall(WalrasYAMLSeqItem(tenants, h, &item));
    PetscCall(WalrasYAMLMapGet(item, "firm_share", PETSC_FALSE, &share));
    sc->tenants[h].firm_share = 1.0 / (PetscReal)sc->H;
    if (!WalrasYAMLPresent(share)) continue;
    given++;
    PetscCall(WalrasYAMLGetReal(share, &sc->tenants[h].firm_share));
    where = WalrasWhereOfNode(share);
    WalrasWhereCheck(sc->tenants[h].firm_share > 0 && sc->tenants[h].firm_share <= 1, &where,
                     "expected a firm share in (0, 1], got %.10g",
                     (double)sc->tenants[h].firm_share);
  }
  where = WalrasWhereOfNode(tenants);
  WalrasWhereCheck(given == 0 || given == sc->H, &where,
                   "expected firm_share for every tenant or for none, got %" PetscInt_FMT
                   " of %" PetscInt_FMT,
                   given, sc->H);
  for (PetscInt h = 0; h < sc->H; h++) sum += sc->tenants[h].firm_share;
  WalrasWhereCheck(PetscAbsReal(sum - 1.0) <= WALRAS_FIRM_SHARE_TOL, &where,
                   "expected the tenants' firm shares to sum to 1, got %.15g", (double)sum);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioCombineTenants(WalrasScenario *sc)
{
  PetscBool all_arrivals = PETSC_TRUE;

  PetscFunctionBegin;
  PetscCall(PetscFree(sc->shares));
  PetscCall(PetscFree(sc->arrivals));
  PetscCall(PetscCalloc1(sc->K, &sc->shares));
  for (PetscInt h = 0; h < sc->H; h++) {
    for (PetscInt k = 0; k < sc->K; k++)
      sc->shares[k] += sc->tenants[h].firm_share * sc->tenants[h].shares[k];
    if (!sc->tenants[h].arrivals) all_arrivals = PETSC_FALSE;
  }
  if (!all_arrivals) PetscFunctionReturn(0);
  PetscCall(PetscCalloc1(sc->K, &sc->arrivals));
  for (PetscInt h = 0; h < sc->H; h++)
    for (PetscInt k = 0; k < sc->K; k++) sc->arrivals[k] += sc->tenants[h].arrivals[k];
  PetscFunctionReturn(0);
}

/* Marks in reach[] the agents tenant h's tasks can reach (breadth first
   from its entries over the edges; the DAG is already checked). */
static PetscErrorCode Reach(const WalrasScenario *sc, PetscInt h, const PetscInt *out_start,
                            const PetscInt *out_edge, PetscBool reach[], PetscInt queue[])
{
  PetscInt head = 0, tail = 0;

  PetscFunctionBegin;
  for (PetscInt a = 0; a < sc->A; a++) reach[a] = PETSC_FALSE;
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from == -1 - h && !reach[sc->edges[e].to])
      reach[sc->edges[e].to] = PETSC_TRUE, queue[tail++] = sc->edges[e].to;
  while (head < tail) {
    PetscInt a = queue[head++];

    for (PetscInt j = out_start[a]; j < out_start[a + 1]; j++) {
      PetscInt b = sc->edges[out_edge[j]].to;

      if (!reach[b]) reach[b] = PETSC_TRUE, queue[tail++] = b;
    }
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioCheckTenantCapacity(const WalrasScenario       *sc,
                                                 const WalrasScenarioSource *src)
{
  const PetscInt A = sc->A, R = sc->R, K = sc->K;
  PetscInt  *out_start, *out_edge, *fill, *queue, bad_a = -1, bad_r = -1, bad_k = -1, bad_h = -1;
  PetscBool *reach;

  PetscFunctionBegin;
  PetscCall(PetscCalloc1(A + 1, &out_start));
  PetscCall(PetscMalloc4(sc->E + 1, &out_edge, A + 1, &fill, A + 1, &queue, A + 1, &reach));
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from >= 0) out_start[sc->edges[e].from + 1]++;
  for (PetscInt a = 0; a < A; a++) out_start[a + 1] += out_start[a];
  for (PetscInt a = 0; a < A; a++) fill[a] = out_start[a];
  for (PetscInt e = 0; e < sc->E; e++)
    if (sc->edges[e].from >= 0) out_edge[fill[sc->edges[e].from]++] = e;

  /* The first (agent, metric, interval) in scenario order that fails, and
     the first tenant that has demand there. */
  for (PetscInt h = 0; h < sc->H; h++) {
    PetscCall(Reach(sc, h, out_start, out_edge, reach, queue));
    for (PetscInt a = 0; a < A; a++) {
      const WalrasAgentSpec *ag = &sc->agents[a];

      if (!reach[a] || (bad_a >= 0 && a > bad_a)) continue;
      for (PetscInt r = 0; r < R; r++)
        for (PetscInt k = 0; k < K && ag->require[r] > 0; k++)
          if (!(ag->cap[r * K + k] > 0) && sc->tenants[h].shares[k] > 0 &&
              (bad_a < 0 || a < bad_a || (a == bad_a && (r < bad_r || (r == bad_r && k < bad_k)))))
            bad_a = a, bad_r = r, bad_k = k, bad_h = h;
    }
  }
  PetscCall(PetscFree(out_start));
  PetscCall(PetscFree4(out_edge, fill, queue, reach));
  if (bad_a >= 0) {
    WalrasWhere where =
        src ? src->capacity[bad_a * R + bad_r]
            : WalrasWhereOfKey(sc->path ? sc->path : sc->name, 0, "agents[%d].capacity.%s",
                               (int)bad_a, sc->metrics[bad_r]);

    WalrasWhereCheck(PETSC_FALSE, &where,
                     "agent '%s' requires %s and tenant '%s' routes tasks to it, so expected its "
                     "%s capacity > 0 in every interval with that tenant's demand, got 0 in "
                     "interval %" PetscInt_FMT,
                     sc->agents[bad_a].name, sc->metrics[bad_r], sc->tenants[bad_h].name,
                     sc->metrics[bad_r], bad_k);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasScenarioParseTenants(WalrasYAMLNode tenants, WalrasScenario *sc)
{
  PetscInt    H;
  WalrasWhere where = WalrasWhereOfNode(tenants);

  PetscFunctionBegin;
  WalrasWhereCheck(WalrasYAMLKindOf(tenants) == WALRAS_YAML_SEQUENCE, &where, "%s",
                   "expected a list of tenants, got something else");
  PetscCall(WalrasYAMLSeqLength(tenants, &H));
  WalrasWhereCheck(
      H >= 2, &where,
      "expected at least two tenants (one orchestrator needs no list), got %" PetscInt_FMT, H);
  PetscCall(PetscCalloc1(H, &sc->tenants));
  sc->H = H;
  for (PetscInt h = 0; h < H; h++) {
    WalrasYAMLNode item;

    PetscCall(WalrasYAMLSeqItem(tenants, h, &item));
    PetscCall(ParseTenant(item, h, sc));
  }
  PetscCall(ParseFirmShares(tenants, sc));
  PetscCall(WalrasScenarioCombineTenants(sc));
  PetscFunctionReturn(0);
}
