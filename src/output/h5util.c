#include "output/h5util.h"

#include <string.h>

PetscErrorCode WalrasH5Group(hid_t file, const char *name, hid_t *group)
{
  PetscFunctionBegin;
  *group = H5Gcreate2(file, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(*group, name);
  PetscFunctionReturn(0);
}

/* Collective transfers: every rank takes part in every write. */
static hid_t CollectiveTransfer(void)
{
  hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);

  H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE);
  return dxpl;
}

/* The rows of v this rank owns as a hyperslab of a dataset of file_type
   (HDF5 converts the reals when file_type is an integer type). */
static PetscErrorCode WriteVecAs(hid_t loc, const char *name, Vec v, int ndim, const hsize_t dims[],
                                 hid_t file_type)
{
  hid_t            filespace, memspace, dset, dxpl;
  hsize_t          row = 1, start[3] = {0, 0, 0}, count[3];
  PetscInt         lo, hi;
  const PetscReal *a;

  PetscFunctionBegin;
  PetscCheck(ndim >= 1 && ndim <= 3, PETSC_COMM_SELF, PETSC_ERR_ARG_OUTOFRANGE, "ndim %d", ndim);
  for (int d = 1; d < ndim; d++) row *= dims[d];
  PetscCall(VecGetOwnershipRange(v, &lo, &hi));
  PetscCheck(lo % (PetscInt)row == 0 && hi % (PetscInt)row == 0, PETSC_COMM_SELF, PETSC_ERR_PLIB,
             "%s: rows split across ranks", name);
  for (int d = 0; d < ndim; d++) count[d] = dims[d];
  start[0] = (hsize_t)lo / row;
  count[0] = (hsize_t)(hi - lo) / row;

  filespace = H5Screate_simple(ndim, dims, NULL);
  dset      = H5Dcreate2(loc, name, file_type, filespace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(dset, name);
  WalrasCallH5(H5Sselect_hyperslab(filespace, H5S_SELECT_SET, start, NULL, count, NULL), name);
  memspace = H5Screate_simple(ndim, count, NULL);
  if (count[0] == 0) H5Sselect_none(memspace), H5Sselect_none(filespace);
  dxpl = CollectiveTransfer();
  PetscCall(VecGetArrayRead(v, &a));
  WalrasCallH5(H5Dwrite(dset, H5T_NATIVE_DOUBLE, memspace, filespace, dxpl, a), name);
  PetscCall(VecRestoreArrayRead(v, &a));
  H5Pclose(dxpl);
  H5Sclose(memspace);
  H5Sclose(filespace);
  H5Dclose(dset);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5WriteVec(hid_t loc, const char *name, Vec v, int ndim, const hsize_t dims[])
{
  PetscFunctionBegin;
  PetscCall(WriteVecAs(loc, name, v, ndim, dims, H5T_NATIVE_DOUBLE));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5WriteVecInt(hid_t loc, const char *name, Vec v, int ndim,
                                   const hsize_t dims[])
{
  PetscFunctionBegin;
  PetscCall(WriteVecAs(loc, name, v, ndim, dims,
                       sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32));
  PetscFunctionReturn(0);
}

/* Rank 0 writes all of a replicated buffer; the others select nothing. */
static PetscErrorCode WriteReplicated(hid_t loc, const char *name, hid_t type, int ndim,
                                      const hsize_t dims[], const void *data)
{
  hid_t       filespace, memspace, dset, dxpl;
  PetscMPIInt rank;
  hsize_t     count = 1;

  PetscFunctionBegin;
  PetscCallMPI(MPI_Comm_rank(PETSC_COMM_WORLD, &rank));
  filespace = H5Screate_simple(ndim, dims, NULL);
  dset      = H5Dcreate2(loc, name, type, filespace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(dset, name);

  /* An empty dataset (a solve stopped before its first round) has nothing
     to write, and HDF5 refuses a write from an empty dataspace. */
  for (int d = 0; d < ndim; d++) count *= dims[d];
  if (count == 0) {
    H5Sclose(filespace);
    H5Dclose(dset);
    PetscFunctionReturn(0);
  }
  memspace = H5Screate_simple(ndim, dims, NULL);
  if (rank != 0) H5Sselect_none(memspace), H5Sselect_none(filespace);
  dxpl = CollectiveTransfer();
  WalrasCallH5(H5Dwrite(dset, type, memspace, filespace, dxpl, data), name);
  H5Pclose(dxpl);
  H5Sclose(memspace);
  H5Sclose(filespace);
  H5Dclose(dset);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5WriteReplicatedReal(hid_t loc, const char *name, hsize_t n,
                                           const PetscReal *data)
{
  PetscReal dummy = 0.0;

  PetscFunctionBegin;
  PetscCall(WriteReplicated(loc, name, H5T_NATIVE_DOUBLE, 1, &n,
                            n ? (const void *)data : (const void *)&dummy));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5WriteReplicatedInt(hid_t loc, const char *name, int ndim,
                                          const hsize_t dims[], const PetscInt *data)
{
  PetscFunctionBegin;
  PetscCall(WriteReplicated(loc, name, sizeof(PetscInt) == 8 ? H5T_NATIVE_INT64 : H5T_NATIVE_INT32,
                            ndim, dims, data));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5WriteStrings(hid_t loc, const char *name, hsize_t n, char *const *strings)
{
  unsigned long width = 1;
  hsize_t       held  = strings ? n : 0;
  char         *packed;
  hid_t         type;

  PetscFunctionBegin;
  /* The type is part of a collective create: the same width everywhere. */
  for (hsize_t i = 0; i < held; i++) width = PetscMax(width, (unsigned long)strlen(strings[i]) + 1);
  PetscCallMPI(
      MPI_Allreduce(MPI_IN_PLACE, &width, 1, MPI_UNSIGNED_LONG, MPI_MAX, PETSC_COMM_WORLD));
  PetscCall(PetscCalloc1(held * width + 1, &packed));
  for (hsize_t i = 0; i < held; i++) memcpy(packed + i * width, strings[i], strlen(strings[i]));
  type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, width);
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  PetscCall(WriteReplicated(loc, name, type, 1, &n, packed));
  H5Tclose(type);
  PetscCall(PetscFree(packed));
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5AttrString(hid_t loc, const char *name, const char *value)
{
  hid_t type, space, attr;

  PetscFunctionBegin;
  type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, strlen(value) + 1);
  H5Tset_strpad(type, H5T_STR_NULLTERM);
  space = H5Screate(H5S_SCALAR);
  attr  = H5Acreate2(loc, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(attr, name);
  WalrasCallH5(H5Awrite(attr, type, value), name);
  H5Aclose(attr);
  H5Sclose(space);
  H5Tclose(type);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5AttrReal(hid_t loc, const char *name, PetscReal value)
{
  hid_t space = H5Screate(H5S_SCALAR), attr;

  PetscFunctionBegin;
  attr = H5Acreate2(loc, name, H5T_NATIVE_DOUBLE, space, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(attr, name);
  WalrasCallH5(H5Awrite(attr, H5T_NATIVE_DOUBLE, &value), name);
  H5Aclose(attr);
  H5Sclose(space);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5AttrInt(hid_t loc, const char *name, long long value)
{
  hid_t space = H5Screate(H5S_SCALAR), attr;

  PetscFunctionBegin;
  attr = H5Acreate2(loc, name, H5T_NATIVE_LLONG, space, H5P_DEFAULT, H5P_DEFAULT);
  WalrasCallH5(attr, name);
  WalrasCallH5(H5Awrite(attr, H5T_NATIVE_LLONG, &value), name);
  H5Aclose(attr);
  H5Sclose(space);
  PetscFunctionReturn(0);
}
