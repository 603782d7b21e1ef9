#pragma once

/* Row slabs of HDF5 datasets over MPI-IO, for the large arrays of generated
   scenarios (docs/generate.md).  Each rank reads or writes rows
   [start, start + count) of the first dimension; the transfers are
   collective, so every rank of the file's communicator calls every function,
   also with count 0.  Failures are PETSc errors that name the dataset. */

#include <walras/sys.h>
#include <hdf5.h>

#if defined(PETSC_USE_64BIT_INDICES)
#define WALRAS_H5T_INT H5T_NATIVE_LLONG
#else
#define WALRAS_H5T_INT H5T_NATIVE_INT
#endif

/* Opens (create = PETSC_FALSE) or creates (truncating) path on comm with the
   MPI-IO driver.  A file that cannot be opened is an input error naming it.
   Collective. */
PETSC_INTERN PetscErrorCode WalrasH5SlabOpen(MPI_Comm comm, const char *path, PetscBool create,
                                             hid_t *file);

/* Creates dataset name (file type int64 for integers, double for reals) of
   shape dims[ndim] and writes this rank's rows.  mem_type is WALRAS_H5T_INT
   or H5T_NATIVE_DOUBLE.  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5SlabWrite(hid_t file, const char *name, hid_t mem_type,
                                              int ndim, const hsize_t dims[], hsize_t start,
                                              hsize_t count, const void *data);

/* Shape of dataset name (ndim must match; dims[ndim] out).  A missing
   dataset or a wrong rank is an input error "path: dataset 'name': ...".
   Collective (metadata only). */
PETSC_INTERN PetscErrorCode WalrasH5SlabShape(hid_t file, const char *path, const char *name,
                                              int ndim, hsize_t dims[]);

/* Reads rows [start, start + count) of dataset name into data.  Collective. */
PETSC_INTERN PetscErrorCode WalrasH5SlabRead(hid_t file, const char *name, hid_t mem_type,
                                             hsize_t start, hsize_t count, void *data);
