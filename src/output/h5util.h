#pragma once

/* Small collective helpers over parallel HDF5 for the output writer.  Every
   HDF5 call is checked; a failure becomes a PETSc error naming the object. */

#include <walras/sys.h>
#include <hdf5.h>
#include <petscvec.h>

#define WalrasCallH5(call, what)                                                                   \
  do {                                                                                             \
    if ((call) < 0) SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_WRITE, "HDF5 failed while %s", what);  \
  } while (0)

/* A group (created if missing). */
PETSC_INTERN PetscErrorCode WalrasH5Group(hid_t file, const char *name, hid_t *group);

/* A dataset of shape dims[ndim] filled from a distributed Vec whose rows
   (first dimension) are split over the ranks in order: each rank writes its
   own ownership range.  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5WriteVec(hid_t loc, const char *name, Vec v, int ndim,
                                             const hsize_t dims[]);
/* The same for a Vec of whole numbers, stored as integers of PetscInt's size. */
PETSC_INTERN PetscErrorCode WalrasH5WriteVecInt(hid_t loc, const char *name, Vec v, int ndim,
                                                const hsize_t dims[]);

/* A 1-D dataset of reals or ints held identically on every rank; rank 0
   writes it.  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5WriteReplicatedReal(hid_t loc, const char *name, hsize_t n,
                                                        const PetscReal *data);
PETSC_INTERN PetscErrorCode WalrasH5WriteReplicatedInt(hid_t loc, const char *name, int ndim,
                                                       const hsize_t dims[], const PetscInt *data);
/* A 1-D dataset of n fixed-length strings held on every rank, or at least
   on rank 0 (the others may pass NULL).  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5WriteStrings(hid_t loc, const char *name, hsize_t n,
                                                 char *const *strings);

/* Attributes (identical on every rank).  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5AttrString(hid_t loc, const char *name, const char *value);
PETSC_INTERN PetscErrorCode WalrasH5AttrReal(hid_t loc, const char *name, PetscReal value);
PETSC_INTERN PetscErrorCode WalrasH5AttrInt(hid_t loc, const char *name, long long value);
