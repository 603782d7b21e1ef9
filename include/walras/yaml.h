#pragma once

/* A parsed YAML file whose every node remembers its line, so that each
   complaint about the input can name the file, the line and the key.
   Thin layer over libyaml's document API; not collective: every rank parses
   the same file and raises the same errors. */

#include <walras/sys.h>

typedef struct _p_WalrasYAML *WalrasYAML;

/* A node of a document: a scalar, a sequence or a mapping.  'what' is the
   dotted key path used in messages (e.g. "agents[3].gamma"). */
typedef struct {
  WalrasYAML doc;
  int        id; /* libyaml node index, 0 when absent */
  char       what[192];
} WalrasYAMLNode;

typedef enum {
  WALRAS_YAML_NONE,
  WALRAS_YAML_SCALAR,
  WALRAS_YAML_SEQUENCE,
  WALRAS_YAML_MAPPING
} WalrasYAMLKind;

/* Parses the file at path; *doc owns a copy of the text (WalrasYAMLText). */
PETSC_EXTERN PetscErrorCode WalrasYAMLLoad(const char *path, WalrasYAML *doc);
/* Parses text held in memory; name stands for the file in messages. */
PETSC_EXTERN PetscErrorCode WalrasYAMLLoadString(const char *name, const char *text,
                                                 WalrasYAML *doc);
PETSC_EXTERN PetscErrorCode WalrasYAMLDestroy(WalrasYAML *doc);

PETSC_EXTERN const char    *WalrasYAMLPath(WalrasYAML doc);
PETSC_EXTERN const char    *WalrasYAMLText(WalrasYAML doc);
PETSC_EXTERN WalrasYAMLNode WalrasYAMLRoot(WalrasYAML doc);

PETSC_EXTERN WalrasYAMLKind WalrasYAMLKindOf(WalrasYAMLNode node);
PETSC_EXTERN int            WalrasYAMLLine(WalrasYAMLNode node); /* 1-based */
PETSC_EXTERN PetscBool      WalrasYAMLPresent(WalrasYAMLNode node);

/* Mapping access.  With required = PETSC_TRUE a missing key is an input
   error; otherwise *value is absent (test with WalrasYAMLPresent).  The
   first access to a mapping (any of the four calls below) checks that no
   key is given twice in it, an input error otherwise. */
PETSC_EXTERN PetscErrorCode WalrasYAMLMapGet(WalrasYAMLNode map, const char *key,
                                             PetscBool required, WalrasYAMLNode *value);
PETSC_EXTERN PetscErrorCode WalrasYAMLMapSize(WalrasYAMLNode map, PetscInt *n);
/* The i-th entry of a mapping: its key text and its value. */
PETSC_EXTERN PetscErrorCode WalrasYAMLMapEntry(WalrasYAMLNode map, PetscInt i, const char **key,
                                               WalrasYAMLNode *value);
/* Rejects keys outside allowed (a NULL-terminated list): catches typos such as 'gama'. */
PETSC_EXTERN PetscErrorCode WalrasYAMLMapCheckKeys(WalrasYAMLNode map, const char *const allowed[]);

/* Sequence access. */
PETSC_EXTERN PetscErrorCode WalrasYAMLSeqLength(WalrasYAMLNode seq, PetscInt *n);
PETSC_EXTERN PetscErrorCode WalrasYAMLSeqItem(WalrasYAMLNode seq, PetscInt i, WalrasYAMLNode *item);

/* Scalars, each an input error naming file, line and key when the text is
   not of the expected form.  Reals reject NaN and infinities. */
PETSC_EXTERN PetscErrorCode WalrasYAMLGetString(WalrasYAMLNode node, const char **value);
PETSC_EXTERN PetscErrorCode WalrasYAMLGetReal(WalrasYAMLNode node, PetscReal *value);
PETSC_EXTERN PetscErrorCode WalrasYAMLGetInt(WalrasYAMLNode node, PetscInt *value);
PETSC_EXTERN PetscErrorCode WalrasYAMLGetBool(WalrasYAMLNode node, PetscBool *value);
/* A sequence of n reals (n < 0: any length, returned in *n_out); PetscMalloc'ed. */
PETSC_EXTERN PetscErrorCode WalrasYAMLGetRealArray(WalrasYAMLNode node, PetscInt n,
                                                   PetscReal **values, PetscInt *n_out);
