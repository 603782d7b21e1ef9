/* Reading a classic economy from its scenario file (docs/classic.md). */
#include <walras/classic.h>
#include <walras/yaml.h>

#include <math.h>
#include <string.h>

const char *const WalrasClassicConsumerKinds[] = {
    "cobb_douglas", "ces", "leontief", "WalrasClassicConsumerKind", "WALRAS_CLASSIC_", NULL};

/* Tolerance on sums that must equal 1 (firm shares): the files hold decimals. */
#define SHARE_SUM_TOL 1e-9

PetscInt WalrasClassicGoodIndex(WalrasClassic eco, const char *name)
{
  for (PetscInt g = 0; g < eco->n_goods; g++)
    if (!strcmp(eco->good[g], name)) return g;
  return -1;
}

static PetscInt IndexOf(char **names, PetscInt n, const char *name)
{
  for (PetscInt i = 0; i < n; i++)
    if (!strcmp(names[i], name)) return i;
  return -1;
}

static const char *FilePath(WalrasYAMLNode node)
{
  return WalrasYAMLPath(node.doc);
}

/* A list of unique names (goods). */
static PetscErrorCode ReadNameList(WalrasYAMLNode node, PetscInt *n, char ***names)
{
  PetscFunctionBegin;
  PetscCall(WalrasYAMLSeqLength(node, n));
  WalrasCheckInput(*n > 0, "%s:%d: '%s': expected at least one name", FilePath(node),
                   WalrasYAMLLine(node), node.what);
  PetscCall(PetscCalloc1(*n, names));
  for (PetscInt i = 0; i < *n; i++) {
    WalrasYAMLNode item;
    const char    *s;

    PetscCall(WalrasYAMLSeqItem(node, i, &item));
    PetscCall(WalrasYAMLGetString(item, &s));
    WalrasCheckInput(IndexOf(*names, i, s) < 0, "%s:%d: '%s': '%s' is listed twice", FilePath(item),
                     WalrasYAMLLine(item), node.what, s);
    PetscCall(PetscStrallocpy(s, &(*names)[i]));
  }
  PetscFunctionReturn(0);
}

/* A mapping {name: number} over a list of names; missing names stay 0.
   nonneg rejects negative numbers; 'what' says what the names are. */
static PetscErrorCode ReadNamedReals(WalrasYAMLNode node, char **names, PetscInt n,
                                     const char *what, PetscBool nonneg, PetscReal out[])
{
  PetscInt size;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapSize(node, &size));
  for (PetscInt i = 0; i < n; i++) out[i] = 0;
  for (PetscInt e = 0; e < size; e++) {
    const char    *key;
    WalrasYAMLNode value;
    PetscInt       i;

    PetscCall(WalrasYAMLMapEntry(node, e, &key, &value));
    i = IndexOf(names, n, key);
    WalrasCheckInput(i >= 0, "%s:%d: '%s': unknown %s '%s'", FilePath(node), WalrasYAMLLine(value),
                     node.what, what, key);
    PetscCall(WalrasYAMLGetReal(value, &out[i]));
    WalrasCheckInput(!nonneg || out[i] >= 0, "%s:%d: '%s': expected a number >= 0, got %.15g",
                     FilePath(value), WalrasYAMLLine(value), value.what, (double)out[i]);
  }
  PetscFunctionReturn(0);
}

/* As ReadNamedReals, but every name must be present. */
static PetscErrorCode ReadAllNamedReals(WalrasYAMLNode node, char **names, PetscInt n,
                                        const char *what, PetscReal out[])
{
  PetscInt size;

  PetscFunctionBegin;
  PetscCall(ReadNamedReals(node, names, n, what, PETSC_FALSE, out));
  PetscCall(WalrasYAMLMapSize(node, &size));
  if (size < n) {
    for (PetscInt i = 0; i < n; i++) {
      WalrasYAMLNode value;

      PetscCall(WalrasYAMLMapGet(node, names[i], PETSC_FALSE, &value));
      WalrasCheckInput(WalrasYAMLPresent(value), "%s:%d: '%s': the %s '%s' has no value",
                       FilePath(node), WalrasYAMLLine(node), node.what, what, names[i]);
    }
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadShares(WalrasYAMLNode c, WalrasClassic eco, WalrasClassicConsumer *con)
{
  WalrasYAMLNode node;
  PetscReal      sum = 0;
  const char    *key = con->kind == WALRAS_CLASSIC_LEONTIEF ? "coefficients" : "shares";

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(c, key, PETSC_TRUE, &node));
  PetscCall(ReadNamedReals(node, eco->good, eco->n_goods, "good", PETSC_TRUE, con->coef));
  for (PetscInt g = 0; g < eco->n_goods; g++) sum += con->coef[g];
  WalrasCheckInput(sum > 0, "%s:%d: '%s': expected a positive number for at least one good",
                   FilePath(node), WalrasYAMLLine(node), node.what);
  /* Shares are weights (e.g. SCARFMCP's reference demands): only their ratios matter. */
  if (con->kind != WALRAS_CLASSIC_LEONTIEF)
    for (PetscInt g = 0; g < eco->n_goods; g++) con->coef[g] /= sum;
  if (con->kind == WALRAS_CLASSIC_CES) {
    PetscCall(WalrasYAMLMapGet(c, "sigma", PETSC_TRUE, &node));
    PetscCall(WalrasYAMLGetReal(node, &con->sigma));
    WalrasCheckInput(con->sigma > 0, "%s:%d: '%s': expected an elasticity > 0, got %.15g",
                     FilePath(node), WalrasYAMLLine(node), node.what, (double)con->sigma);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadConsumer(WalrasYAMLNode c, WalrasClassic eco, PetscInt h)
{
  static const char *const keys[] = {"name",         "kind",      "shares",      "sigma",
                                     "coefficients", "endowment", "firm_shares", NULL};
  WalrasClassicConsumer   *con    = &eco->consumer[h];
  WalrasYAMLNode           node;
  const char              *s;
  PetscInt                 kind = -1;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(c, keys));
  PetscCall(WalrasYAMLMapGet(c, "name", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  for (PetscInt i = 0; i < h; i++)
    WalrasCheckInput(strcmp(eco->consumer[i].name, s), "%s:%d: '%s': consumer '%s' is listed twice",
                     FilePath(node), WalrasYAMLLine(node), node.what, s);
  PetscCall(PetscStrallocpy(s, &con->name));

  PetscCall(WalrasYAMLMapGet(c, "kind", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  for (PetscInt k = 0; k < 3; k++)
    if (!strcmp(s, WalrasClassicConsumerKinds[k])) kind = k;
  WalrasCheckInput(kind >= 0, "%s:%d: '%s': expected cobb_douglas, ces or leontief, got '%s'",
                   FilePath(node), WalrasYAMLLine(node), node.what, s);
  con->kind = (WalrasClassicConsumerKind)kind;

  PetscCall(PetscCalloc1(eco->n_goods, &con->coef));
  PetscCall(PetscCalloc1(eco->n_goods, &con->endowment));
  PetscCall(PetscCalloc1(eco->n_activities > 0 ? eco->n_activities : 1, &con->firm_share));
  PetscCall(ReadShares(c, eco, con));
  PetscCall(WalrasYAMLMapGet(c, "endowment", PETSC_FALSE, &node));
  if (WalrasYAMLPresent(node))
    PetscCall(ReadNamedReals(node, eco->good, eco->n_goods, "good", PETSC_TRUE, con->endowment));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadActivities(WalrasYAMLNode root, WalrasClassic eco)
{
  static const char *const keys[] = {"name", "net_output", NULL};
  WalrasYAMLNode           list;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(root, "activities", PETSC_FALSE, &list));
  if (!WalrasYAMLPresent(list)) PetscFunctionReturn(0);
  PetscCall(WalrasYAMLSeqLength(list, &eco->n_activities));
  PetscCall(PetscCalloc1(eco->n_activities > 0 ? eco->n_activities : 1, &eco->activity));
  PetscCall(PetscCalloc1(eco->n_activities * eco->n_goods + 1, &eco->net_output));
  for (PetscInt a = 0; a < eco->n_activities; a++) {
    WalrasYAMLNode item, node;
    const char    *s;

    PetscCall(WalrasYAMLSeqItem(list, a, &item));
    PetscCall(WalrasYAMLMapCheckKeys(item, keys));
    PetscCall(WalrasYAMLMapGet(item, "name", PETSC_TRUE, &node));
    PetscCall(WalrasYAMLGetString(node, &s));
    WalrasCheckInput(IndexOf(eco->activity, a, s) < 0 && WalrasClassicGoodIndex(eco, s) < 0,
                     "%s:%d: '%s': the name '%s' is already taken", FilePath(node),
                     WalrasYAMLLine(node), node.what, s);
    PetscCall(PetscStrallocpy(s, &eco->activity[a]));
    PetscCall(WalrasYAMLMapGet(item, "net_output", PETSC_TRUE, &node));
    PetscCall(ReadNamedReals(node, eco->good, eco->n_goods, "good", PETSC_FALSE,
                             &eco->net_output[a * eco->n_goods]));
  }
  PetscFunctionReturn(0);
}

/* Firm shares: explicit ones must sum to 1 per activity; without any, each
   activity's profit is split equally (it is 0 in equilibrium anyway). */
static PetscErrorCode ReadFirmShares(WalrasYAMLNode consumers, WalrasClassic eco)
{
  PetscBool any = PETSC_FALSE;

  PetscFunctionBegin;
  for (PetscInt h = 0; h < eco->n_consumers; h++) {
    WalrasYAMLNode c, node;

    PetscCall(WalrasYAMLSeqItem(consumers, h, &c));
    PetscCall(WalrasYAMLMapGet(c, "firm_shares", PETSC_FALSE, &node));
    if (!WalrasYAMLPresent(node)) continue;
    any = PETSC_TRUE;
    PetscCall(ReadNamedReals(node, eco->activity, eco->n_activities, "activity", PETSC_TRUE,
                             eco->consumer[h].firm_share));
  }
  for (PetscInt a = 0; a < eco->n_activities; a++) {
    PetscReal sum = 0;

    for (PetscInt h = 0; h < eco->n_consumers; h++) {
      if (!any) eco->consumer[h].firm_share[a] = 1.0 / (PetscReal)eco->n_consumers;
      sum += eco->consumer[h].firm_share[a];
    }
    WalrasCheckInput(
        fabs(sum - 1) <= SHARE_SUM_TOL,
        "%s:%d: 'consumers': the firm shares of activity '%s' sum to %.15g; expected 1",
        FilePath(consumers), WalrasYAMLLine(consumers), eco->activity[a], (double)sum);
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadNumeraire(WalrasYAMLNode root, WalrasClassic eco)
{
  static const char *const keys[] = {"price", "income", "sum", NULL};
  WalrasYAMLNode           num, node, value;
  PetscInt                 size;
  const char              *key;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(root, "numeraire", PETSC_TRUE, &num));
  PetscCall(WalrasYAMLMapCheckKeys(num, keys));
  PetscCall(WalrasYAMLMapSize(num, &size));
  WalrasCheckInput(size == 1, "%s:%d: 'numeraire': expected one of price, income or sum",
                   FilePath(num), WalrasYAMLLine(num));
  PetscCall(WalrasYAMLMapEntry(num, 0, &key, &node));
  if (!strcmp(key, "sum")) {
    eco->numeraire.kind  = WALRAS_CLASSIC_NUMERAIRE_SUM;
    eco->numeraire.index = -1;
    value                = node;
  } else {
    PetscBool price = (PetscBool)!strcmp(key, "price");

    PetscCall(WalrasYAMLMapSize(node, &size));
    WalrasCheckInput(size == 1, "%s:%d: '%s': expected one %s and its value", FilePath(node),
                     WalrasYAMLLine(node), node.what, price ? "good" : "consumer");
    PetscCall(WalrasYAMLMapEntry(node, 0, &key, &value));
    eco->numeraire.kind  = price ? WALRAS_CLASSIC_NUMERAIRE_PRICE : WALRAS_CLASSIC_NUMERAIRE_INCOME;
    eco->numeraire.index = -1;
    if (price)
      eco->numeraire.index = WalrasClassicGoodIndex(eco, key);
    else
      for (PetscInt h = 0; h < eco->n_consumers; h++)
        if (!strcmp(eco->consumer[h].name, key)) eco->numeraire.index = h;
    WalrasCheckInput(eco->numeraire.index >= 0, "%s:%d: '%s': unknown %s '%s'", FilePath(node),
                     WalrasYAMLLine(value), node.what, price ? "good" : "consumer", key);
  }
  PetscCall(WalrasYAMLGetReal(value, &eco->numeraire.value));
  WalrasCheckInput(eco->numeraire.value > 0, "%s:%d: '%s': expected a number > 0, got %.15g",
                   FilePath(value), WalrasYAMLLine(value), value.what,
                   (double)eco->numeraire.value);
  PetscFunctionReturn(0);
}

/* A point: prices of every good, activity levels (missing: 0), incomes. */
static PetscErrorCode ReadPoint(WalrasYAMLNode item, WalrasClassic eco, PetscBool positive,
                                WalrasClassicPoint *pt)
{
  static const char *const keys[] = {"name", "prices", "activity", "income", NULL};
  WalrasYAMLNode           node;
  const char              *s;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapCheckKeys(item, keys));
  PetscCall(WalrasYAMLMapGet(item, "name", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  PetscCall(PetscStrallocpy(s, &pt->name));
  PetscCall(PetscCalloc1(eco->n_goods, &pt->prices));
  PetscCall(PetscCalloc1(eco->n_activities + 1, &pt->activity));
  PetscCall(WalrasYAMLMapGet(item, "prices", PETSC_TRUE, &node));
  PetscCall(ReadAllNamedReals(node, eco->good, eco->n_goods, "good", pt->prices));
  for (PetscInt g = 0; g < eco->n_goods; g++)
    WalrasCheckInput(positive ? pt->prices[g] > 0 : pt->prices[g] >= 0,
                     "%s:%d: '%s.%s': expected a price %s 0, got %.15g", FilePath(node),
                     WalrasYAMLLine(node), node.what, eco->good[g],
                     positive ? ">" : ">=", (double)pt->prices[g]);
  PetscCall(WalrasYAMLMapGet(item, "activity", PETSC_FALSE, &node));
  if (WalrasYAMLPresent(node))
    PetscCall(ReadNamedReals(node, eco->activity, eco->n_activities, "activity", PETSC_TRUE,
                             pt->activity));
  PetscCall(WalrasYAMLMapGet(item, "income", PETSC_FALSE, &node));
  if (WalrasYAMLPresent(node)) {
    char **names;

    PetscCall(PetscMalloc1(eco->n_consumers, &names));
    for (PetscInt h = 0; h < eco->n_consumers; h++) names[h] = eco->consumer[h].name;
    PetscCall(PetscCalloc1(eco->n_consumers, &pt->income));
    PetscCall(ReadNamedReals(node, names, eco->n_consumers, "consumer", PETSC_FALSE, pt->income));
    PetscCall(PetscFree(names));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadStarts(WalrasYAMLNode root, WalrasClassic eco)
{
  WalrasYAMLNode list;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(root, "starts", PETSC_FALSE, &list));
  if (!WalrasYAMLPresent(list)) {
    /* Default: every price 1, every activity 0. */
    eco->n_starts = 1;
    PetscCall(PetscCalloc1(1, &eco->start));
    PetscCall(PetscStrallocpy("ones", &eco->start[0].name));
    PetscCall(PetscMalloc1(eco->n_goods, &eco->start[0].prices));
    PetscCall(PetscCalloc1(eco->n_activities + 1, &eco->start[0].activity));
    for (PetscInt g = 0; g < eco->n_goods; g++) eco->start[0].prices[g] = 1;
    PetscFunctionReturn(0);
  }
  PetscCall(WalrasYAMLSeqLength(list, &eco->n_starts));
  WalrasCheckInput(eco->n_starts > 0, "%s:%d: 'starts': expected at least one start",
                   FilePath(list), WalrasYAMLLine(list));
  PetscCall(PetscCalloc1(eco->n_starts, &eco->start));
  for (PetscInt i = 0; i < eco->n_starts; i++) {
    WalrasYAMLNode item;

    PetscCall(WalrasYAMLSeqItem(list, i, &item));
    PetscCall(ReadPoint(item, eco, PETSC_TRUE, &eco->start[i]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadReference(WalrasYAMLNode root, WalrasClassic eco)
{
  static const char *const keys[] = {"kind", "source", "tolerance", "equilibria", NULL};
  WalrasYAMLNode           ref, node, list;
  const char              *s;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapGet(root, "reference", PETSC_FALSE, &ref));
  if (!WalrasYAMLPresent(ref)) PetscFunctionReturn(0);
  PetscCall(WalrasYAMLMapCheckKeys(ref, keys));
  PetscCall(WalrasYAMLMapGet(ref, "kind", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  WalrasCheckInput(!strcmp(s, "published") || !strcmp(s, "computed"),
                   "%s:%d: '%s': expected published or computed, got '%s'", FilePath(node),
                   WalrasYAMLLine(node), node.what, s);
  PetscCall(PetscStrallocpy(s, &eco->reference_kind));
  PetscCall(WalrasYAMLMapGet(ref, "source", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  PetscCall(PetscStrallocpy(s, &eco->reference_source));
  PetscCall(WalrasYAMLMapGet(ref, "tolerance", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetReal(node, &eco->reference_tolerance));
  WalrasCheckInput(eco->reference_tolerance > 0, "%s:%d: '%s': expected a number > 0",
                   FilePath(node), WalrasYAMLLine(node), node.what);

  PetscCall(WalrasYAMLMapGet(ref, "equilibria", PETSC_TRUE, &list));
  PetscCall(WalrasYAMLSeqLength(list, &eco->n_reference));
  PetscCall(PetscCalloc1(eco->n_reference + 1, &eco->reference));
  for (PetscInt i = 0; i < eco->n_reference; i++) {
    WalrasYAMLNode item;

    PetscCall(WalrasYAMLSeqItem(list, i, &item));
    PetscCall(ReadPoint(item, eco, PETSC_FALSE, &eco->reference[i]));
  }
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadHeader(WalrasYAMLNode root, WalrasClassic eco)
{
  static const char *const keys[] = {"kind",      "name",      "title",      "source",    "license",
                                     "goods",     "consumers", "activities", "numeraire", "starts",
                                     "reference", "notes",     NULL};
  WalrasYAMLNode           node;
  const char              *s;

  PetscFunctionBegin;
  /* An agent scenario (the YAML files in runs/) opens with 'walras: 1'. */
  PetscCall(WalrasYAMLMapGet(root, "walras", PETSC_FALSE, &node));
  WalrasCheckInput(!WalrasYAMLPresent(node),
                   "%s:%d: 'walras': expected a classic economy, got an agent scenario (it has "
                   "'walras: 1'): run it with 'walras run' or 'walras check'",
                   FilePath(node), WalrasYAMLLine(node));
  PetscCall(WalrasYAMLMapCheckKeys(root, keys));
  PetscCall(WalrasYAMLMapGet(root, "kind", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  WalrasCheckInput(!strcmp(s, "classic"), "%s:%d: 'kind': expected classic, got '%s'",
                   FilePath(node), WalrasYAMLLine(node), s);
  PetscCall(WalrasYAMLMapGet(root, "name", PETSC_TRUE, &node));
  PetscCall(WalrasYAMLGetString(node, &s));
  PetscCall(PetscStrallocpy(s, &eco->name));
  PetscCall(WalrasYAMLMapGet(root, "title", PETSC_FALSE, &node));
  if (WalrasYAMLPresent(node))
    PetscCall(WalrasYAMLGetString(node, &s));
  else
    s = eco->name;
  PetscCall(PetscStrallocpy(s, &eco->title));
  PetscFunctionReturn(0);
}

static PetscErrorCode ReadEconomy(WalrasYAML doc, WalrasClassic eco)
{
  WalrasYAMLNode root = WalrasYAMLRoot(doc), node, consumers;

  PetscFunctionBegin;
  PetscCall(ReadHeader(root, eco));
  PetscCall(WalrasYAMLMapGet(root, "goods", PETSC_TRUE, &node));
  PetscCall(ReadNameList(node, &eco->n_goods, &eco->good));
  PetscCall(ReadActivities(root, eco));

  PetscCall(WalrasYAMLMapGet(root, "consumers", PETSC_TRUE, &consumers));
  PetscCall(WalrasYAMLSeqLength(consumers, &eco->n_consumers));
  WalrasCheckInput(eco->n_consumers > 0, "%s:%d: 'consumers': expected at least one consumer",
                   FilePath(consumers), WalrasYAMLLine(consumers));
  PetscCall(PetscCalloc1(eco->n_consumers, &eco->consumer));
  for (PetscInt h = 0; h < eco->n_consumers; h++) {
    WalrasYAMLNode c;

    PetscCall(WalrasYAMLSeqItem(consumers, h, &c));
    PetscCall(ReadConsumer(c, eco, h));
  }
  PetscCall(ReadFirmShares(consumers, eco));

  PetscCall(ReadNumeraire(root, eco));
  PetscCall(ReadStarts(root, eco));
  PetscCall(ReadReference(root, eco));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicLoadString(const char *name, const char *text, WalrasClassic *eco)
{
  WalrasYAML     doc;
  PetscErrorCode ierr;

  PetscFunctionBegin;
  *eco = NULL;
  PetscCall(WalrasYAMLLoadString(name, text, &doc));
  PetscCall(PetscNew(eco));
  PetscCall(PetscStrallocpy(name, &(*eco)->path));
  /* On an input error free what was read, then pass the error on. */
  ierr = ReadEconomy(doc, *eco);
  PetscCall(WalrasYAMLDestroy(&doc));
  if (ierr) {
    PetscCall(WalrasClassicDestroy(eco));
    PetscCall(ierr);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicLoad(const char *path, WalrasClassic *eco)
{
  char *text;

  PetscFunctionBegin;
  PetscCall(WalrasReadTextFile(path, "the classic economy", &text, NULL));
  PetscCall(WalrasClassicLoadString(path, text, eco));
  PetscCall(PetscFree(text));
  PetscFunctionReturn(0);
}

static PetscErrorCode PointFree(WalrasClassicPoint *pt)
{
  PetscFunctionBegin;
  PetscCall(PetscFree(pt->name));
  PetscCall(PetscFree(pt->prices));
  PetscCall(PetscFree(pt->activity));
  PetscCall(PetscFree(pt->income));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasClassicDestroy(WalrasClassic *eco)
{
  WalrasClassic e = *eco;

  PetscFunctionBegin;
  if (!e) PetscFunctionReturn(0);
  for (PetscInt g = 0; e->good && g < e->n_goods; g++) PetscCall(PetscFree(e->good[g]));
  for (PetscInt a = 0; e->activity && a < e->n_activities; a++)
    PetscCall(PetscFree(e->activity[a]));
  for (PetscInt h = 0; e->consumer && h < e->n_consumers; h++) {
    PetscCall(PetscFree(e->consumer[h].name));
    PetscCall(PetscFree(e->consumer[h].coef));
    PetscCall(PetscFree(e->consumer[h].endowment));
    PetscCall(PetscFree(e->consumer[h].firm_share));
  }
  for (PetscInt i = 0; e->start && i < e->n_starts; i++) PetscCall(PointFree(&e->start[i]));
  for (PetscInt i = 0; e->reference && i < e->n_reference; i++)
    PetscCall(PointFree(&e->reference[i]));
  PetscCall(PetscFree(e->good));
  PetscCall(PetscFree(e->activity));
  PetscCall(PetscFree(e->consumer));
  PetscCall(PetscFree(e->net_output));
  PetscCall(PetscFree(e->start));
  PetscCall(PetscFree(e->reference));
  PetscCall(PetscFree(e->reference_kind));
  PetscCall(PetscFree(e->reference_source));
  PetscCall(PetscFree(e->path));
  PetscCall(PetscFree(e->name));
  PetscCall(PetscFree(e->title));
  PetscCall(PetscFree(*eco));
  PetscFunctionReturn(0);
}
