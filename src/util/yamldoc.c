#include <walras/yaml.h>

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct _p_WalrasYAML {
  char           *path;
  char           *text;
  yaml_document_t document;
  PetscBool      *keys_checked; /* [nodes] mappings whose keys are known to be unique */
};

static yaml_node_t *NodeOf(WalrasYAMLNode node)
{
  if (!node.doc || node.id <= 0) return NULL;
  return yaml_document_get_node(&node.doc->document, node.id);
}

static WalrasYAMLNode MakeNode(WalrasYAML doc, int id, const char *what)
{
  WalrasYAMLNode node;

  node.doc = doc;
  node.id  = id;
  snprintf(node.what, sizeof(node.what), "%s", what);
  return node;
}

PetscErrorCode WalrasYAMLLoadString(const char *name, const char *text, WalrasYAML *doc)
{
  yaml_parser_t parser;
  WalrasYAML    d;
  int           ok;
  size_t        nodes;

  PetscFunctionBegin;
  PetscCall(PetscNew(&d));
  PetscCall(PetscStrallocpy(name, &d->path));
  PetscCall(PetscStrallocpy(text, &d->text));
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)d->text, strlen(d->text));
  ok = yaml_parser_load(&parser, &d->document);
  if (!ok) {
    char msg[256];

    snprintf(msg, sizeof(msg), "%s:%lu: not valid YAML: %s", name,
             (unsigned long)parser.problem_mark.line + 1,
             parser.problem ? parser.problem : "parse error");
    yaml_parser_delete(&parser);
    PetscCall(PetscFree(d->path));
    PetscCall(PetscFree(d->text));
    PetscCall(PetscFree(d));
    WalrasInputError("%s", msg);
  }
  yaml_parser_delete(&parser);
  if (!yaml_document_get_root_node(&d->document)) {
    yaml_document_delete(&d->document);
    PetscCall(PetscFree(d->path));
    PetscCall(PetscFree(d->text));
    PetscCall(PetscFree(d));
    WalrasInputError("%s: the file is empty; expected a YAML mapping", name);
  }
  nodes = (size_t)(d->document.nodes.top - d->document.nodes.start);
  PetscCall(PetscCalloc1(nodes + 1, &d->keys_checked));
  *doc = d;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLLoad(const char *path, WalrasYAML *doc)
{
  char *text;

  PetscFunctionBegin;
  PetscCall(WalrasReadTextFile(path, "the YAML file", &text, NULL));
  PetscCall(WalrasYAMLLoadString(path, text, doc));
  PetscCall(PetscFree(text));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLDestroy(WalrasYAML *doc)
{
  PetscFunctionBegin;
  if (!*doc) PetscFunctionReturn(0);
  yaml_document_delete(&(*doc)->document);
  PetscCall(PetscFree((*doc)->keys_checked));
  PetscCall(PetscFree((*doc)->path));
  PetscCall(PetscFree((*doc)->text));
  PetscCall(PetscFree(*doc));
  PetscFunctionReturn(0);
}

const char *WalrasYAMLPath(WalrasYAML doc)
{
  return doc->path;
}

const char *WalrasYAMLText(WalrasYAML doc)
{
  return doc->text;
}

WalrasYAMLNode WalrasYAMLRoot(WalrasYAML doc)
{
  yaml_node_t *root = yaml_document_get_root_node(&doc->document);

  return MakeNode(doc, root ? (int)(root - doc->document.nodes.start) + 1 : 0, "(top level)");
}

WalrasYAMLKind WalrasYAMLKindOf(WalrasYAMLNode node)
{
  yaml_node_t *n = NodeOf(node);

  if (!n) return WALRAS_YAML_NONE;
  switch (n->type) {
  case YAML_SCALAR_NODE:
    return WALRAS_YAML_SCALAR;
  case YAML_SEQUENCE_NODE:
    return WALRAS_YAML_SEQUENCE;
  case YAML_MAPPING_NODE:
    return WALRAS_YAML_MAPPING;
  default:
    return WALRAS_YAML_NONE;
  }
}

int WalrasYAMLLine(WalrasYAMLNode node)
{
  yaml_node_t *n = NodeOf(node);

  return n ? (int)n->start_mark.line + 1 : 0;
}

PetscBool WalrasYAMLPresent(WalrasYAMLNode node)
{
  return NodeOf(node) ? PETSC_TRUE : PETSC_FALSE;
}

static const char *KindName(WalrasYAMLKind kind)
{
  switch (kind) {
  case WALRAS_YAML_SCALAR:
    return "a single value";
  case WALRAS_YAML_SEQUENCE:
    return "a list";
  case WALRAS_YAML_MAPPING:
    return "a mapping";
  default:
    return "nothing";
  }
}

static PetscErrorCode ExpectKind(WalrasYAMLNode node, WalrasYAMLKind kind)
{
  WalrasYAMLKind got = WalrasYAMLKindOf(node);

  PetscFunctionBegin;
  WalrasCheckInput(got == kind, "%s:%d: '%s': expected %s, found %s", node.doc->path,
                   WalrasYAMLLine(node), node.what, KindName(kind), KindName(got));
  PetscFunctionReturn(0);
}

static const char *ScalarText(yaml_node_t *n)
{
  return (const char *)n->data.scalar.value;
}

static void JoinWhat(char *out, size_t len, const char *parent, const char *key)
{
  /* Key paths are for messages: cut long ones rather than fail. */
  if (!strcmp(parent, "(top level)"))
    snprintf(out, len, "%.120s", key);
  else
    snprintf(out, len, "%.120s.%.60s", parent, key);
}

typedef struct {
  const char *text;
  int         line, order;
} Key;

static int CompareKeys(const void *a, const void *b)
{
  const Key *x = a, *y = b;
  int        c = strcmp(x->text, y->text);

  return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* libyaml keeps every pair of a mapping, so a key given twice would be read
   as its first occurrence and the second ignored.  Sorting the keys finds
   the repeats in n log n; the message names the earliest repeat.  Each
   mapping is checked once, the first time it is read. */
static PetscErrorCode ExpectUniqueKeys(WalrasYAMLNode map)
{
  yaml_node_t *n = NodeOf(map);
  PetscInt     size, nkeys = 0, worst = -1;
  Key         *keys;
  char         what[192];

  PetscFunctionBegin;
  if (map.doc->keys_checked[map.id]) PetscFunctionReturn(0);
  size = (PetscInt)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  PetscCall(PetscMalloc1(size + 1, &keys));
  for (PetscInt i = 0; i < size; i++) {
    yaml_node_t *k = yaml_document_get_node(&map.doc->document, n->data.mapping.pairs.start[i].key);

    /* keys that are not plain names are refused by WalrasYAMLMapEntry */
    if (!k || k->type != YAML_SCALAR_NODE) continue;
    keys[nkeys].text  = ScalarText(k);
    keys[nkeys].line  = (int)k->start_mark.line + 1;
    keys[nkeys].order = (int)i;
    nkeys++;
  }
  qsort(keys, (size_t)nkeys, sizeof(*keys), CompareKeys);
  for (PetscInt i = 1; i < nkeys; i++)
    if (!strcmp(keys[i - 1].text, keys[i].text) && (worst < 0 || keys[i].order < keys[worst].order))
      worst = i;
  if (worst >= 0) {
    /* Sorted by (text, order), the earliest repeat is the second of its
       group, right after the key's first occurrence. */
    Key first = keys[worst - 1], again = keys[worst];

    PetscCall(PetscFree(keys));
    JoinWhat(what, sizeof(what), map.what, again.text);
    WalrasInputError("%s:%d: '%s': expected each key once in a mapping, got '%s' again (first at "
                     "line %d)",
                     map.doc->path, again.line, what, again.text, first.line);
  }
  PetscCall(PetscFree(keys));
  map.doc->keys_checked[map.id] = PETSC_TRUE;
  PetscFunctionReturn(0);
}

static PetscErrorCode ExpectMapping(WalrasYAMLNode map)
{
  PetscFunctionBegin;
  PetscCall(ExpectKind(map, WALRAS_YAML_MAPPING));
  PetscCall(ExpectUniqueKeys(map));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLMapGet(WalrasYAMLNode map, const char *key, PetscBool required,
                                WalrasYAMLNode *value)
{
  yaml_node_t      *n;
  yaml_node_pair_t *pair;
  char              what[192];

  PetscFunctionBegin;
  PetscCall(ExpectMapping(map));
  n = NodeOf(map);
  JoinWhat(what, sizeof(what), map.what, key);
  for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
    yaml_node_t *k = yaml_document_get_node(&map.doc->document, pair->key);

    if (k && k->type == YAML_SCALAR_NODE && !strcmp(ScalarText(k), key)) {
      *value = MakeNode(map.doc, pair->value, what);
      PetscFunctionReturn(0);
    }
  }
  WalrasCheckInput(!required, "%s:%d: '%s' is missing a required key '%s'", map.doc->path,
                   WalrasYAMLLine(map), map.what, key);
  *value = MakeNode(map.doc, 0, what);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLMapSize(WalrasYAMLNode map, PetscInt *size)
{
  yaml_node_t *n;

  PetscFunctionBegin;
  PetscCall(ExpectMapping(map));
  n     = NodeOf(map);
  *size = (PetscInt)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLMapEntry(WalrasYAMLNode map, PetscInt i, const char **key,
                                  WalrasYAMLNode *value)
{
  yaml_node_t      *n, *k;
  yaml_node_pair_t *pair;
  char              what[192];

  PetscFunctionBegin;
  PetscCall(ExpectMapping(map));
  n    = NodeOf(map);
  pair = n->data.mapping.pairs.start + i;
  PetscCheck(pair < n->data.mapping.pairs.top, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "entry %" PetscInt_FMT " is past the end of '%s'", i, map.what);
  k = yaml_document_get_node(&map.doc->document, pair->key);
  WalrasCheckInput(k && k->type == YAML_SCALAR_NODE, "%s:%d: '%s': keys must be plain names",
                   map.doc->path, WalrasYAMLLine(map), map.what);
  *key = ScalarText(k);
  JoinWhat(what, sizeof(what), map.what, *key);
  *value = MakeNode(map.doc, pair->value, what);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLMapCheckKeys(WalrasYAMLNode map, const char *const allowed[])
{
  PetscInt n;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLMapSize(map, &n));
  for (PetscInt i = 0; i < n; i++) {
    const char    *key;
    WalrasYAMLNode value;
    PetscBool      known     = PETSC_FALSE;
    char           list[512] = "";

    PetscCall(WalrasYAMLMapEntry(map, i, &key, &value));
    for (const char *const *a = allowed; *a; a++) {
      if (!strcmp(*a, key)) known = PETSC_TRUE;
      if (strlen(list) + strlen(*a) + 3 < sizeof(list)) {
        if (list[0]) strcat(list, ", ");
        strcat(list, *a);
      }
    }
    WalrasCheckInput(known, "%s:%d: '%s': unknown key '%s' (expected one of: %s)", map.doc->path,
                     WalrasYAMLLine(value), map.what, key, list);
  }
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLSeqLength(WalrasYAMLNode seq, PetscInt *len)
{
  yaml_node_t *n;

  PetscFunctionBegin;
  PetscCall(ExpectKind(seq, WALRAS_YAML_SEQUENCE));
  n    = NodeOf(seq);
  *len = (PetscInt)(n->data.sequence.items.top - n->data.sequence.items.start);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLSeqItem(WalrasYAMLNode seq, PetscInt i, WalrasYAMLNode *item)
{
  yaml_node_t *n;
  PetscInt     len;
  char         what[192];

  PetscFunctionBegin;
  PetscCall(WalrasYAMLSeqLength(seq, &len));
  PetscCheck(i >= 0 && i < len, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE,
             "item %" PetscInt_FMT " is past the end of '%s'", i, seq.what);
  n = NodeOf(seq);
  snprintf(what, sizeof(what), "%.160s[%d]", seq.what, (int)i);
  *item = MakeNode(seq.doc, n->data.sequence.items.start[i], what);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLGetString(WalrasYAMLNode node, const char **value)
{
  PetscFunctionBegin;
  PetscCall(ExpectKind(node, WALRAS_YAML_SCALAR));
  *value = ScalarText(NodeOf(node));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLGetReal(WalrasYAMLNode node, PetscReal *value)
{
  const char *text;
  char       *end;
  double      v;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(node, &text));
  errno = 0;
  v     = strtod(text, &end);
  WalrasCheckInput(end != text && *end == '\0' && errno != ERANGE && isfinite(v),
                   "%s:%d: '%s': expected a finite number, got '%s'", node.doc->path,
                   WalrasYAMLLine(node), node.what, text);
  *value = (PetscReal)v;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLGetInt(WalrasYAMLNode node, PetscInt *value)
{
  const char *text;
  char       *end;
  long long   v;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(node, &text));
  errno = 0;
  v     = strtoll(text, &end, 10);
  WalrasCheckInput(end != text && *end == '\0', "%s:%d: '%s': expected a whole number, got '%s'",
                   node.doc->path, WalrasYAMLLine(node), node.what, text);
  WalrasCheckInput(errno != ERANGE && v >= PETSC_MIN_INT && v <= PETSC_MAX_INT,
                   "%s:%d: '%s': expected a whole number from %" PetscInt_FMT " to %" PetscInt_FMT
                   ", got '%s' (out of range)",
                   node.doc->path, WalrasYAMLLine(node), node.what, (PetscInt)PETSC_MIN_INT,
                   (PetscInt)PETSC_MAX_INT, text);
  *value = (PetscInt)v;
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLGetBool(WalrasYAMLNode node, PetscBool *value)
{
  const char *text;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLGetString(node, &text));
  if (!strcmp(text, "true") || !strcmp(text, "yes"))
    *value = PETSC_TRUE;
  else if (!strcmp(text, "false") || !strcmp(text, "no"))
    *value = PETSC_FALSE;
  else
    WalrasInputError("%s:%d: '%s': expected true or false, got '%s'", node.doc->path,
                     WalrasYAMLLine(node), node.what, text);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasYAMLGetRealArray(WalrasYAMLNode node, PetscInt n, PetscReal **values,
                                      PetscInt *n_out)
{
  PetscInt len;

  PetscFunctionBegin;
  PetscCall(WalrasYAMLSeqLength(node, &len));
  WalrasCheckInput(n < 0 || len == n,
                   "%s:%d: '%s': expected a list of %" PetscInt_FMT " numbers, got %" PetscInt_FMT,
                   node.doc->path, WalrasYAMLLine(node), node.what, n, len);
  PetscCall(PetscMalloc1(len > 0 ? len : 1, values));
  for (PetscInt i = 0; i < len; i++) {
    WalrasYAMLNode item;
    PetscErrorCode ierr;

    PetscCall(WalrasYAMLSeqItem(node, i, &item));
    /* A bad item frees the array before the error goes up. */
    ierr = WalrasYAMLGetReal(item, &(*values)[i]);
    if (ierr) {
      PetscCall(PetscFree(*values));
      PetscCall(ierr);
    }
  }
  if (n_out) *n_out = len;
  PetscFunctionReturn(0);
}
