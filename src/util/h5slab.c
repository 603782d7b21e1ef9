/* Row slabs of HDF5 datasets over MPI-IO (h5slab.h). */
#include "util/h5slab.h"

#define CallH5(call, what, name)                                                                   \
  do {                                                                                             \
    if ((call) < 0)                                                                                \
      SETERRQ(PETSC_COMM_SELF, PETSC_ERR_FILE_UNEXPECTED, "HDF5 failed while %s '%s'", what,       \
              name);                                                                               \
  } while (0)

PetscErrorCode WalrasH5SlabOpen(MPI_Comm comm, const char *path, PetscBool create, hid_t *file)
{
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);

  PetscFunctionBegin;
  H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL);
  H5E_BEGIN_TRY
  {
    *file = create ? H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)
                   : H5Fopen(path, H5F_ACC_RDONLY, fapl);
  }
  H5E_END_TRY;
  H5Pclose(fapl);
  WalrasCheckInput(*file >= 0, "%s: cannot %s the HDF5 file", path, create ? "create" : "open");
  PetscFunctionReturn(0);
}

static hid_t Collective(void)
{
  hid_t dxpl = H5Pcreate(H5P_DATASET_XFER);

  H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE);
  return dxpl;
}

/* Selects rows [start, start + count) of filespace and a matching memspace. */
static PetscErrorCode SelectRows(hid_t filespace, hsize_t start, hsize_t count, hid_t *memspace,
                                 const char *name)
{
  int     ndim = H5Sget_simple_extent_ndims(filespace);
  hsize_t dims[4], off[4] = {0, 0, 0, 0}, cnt[4];

  PetscFunctionBegin;
  CallH5(ndim >= 1 && ndim <= 4 ? 0 : -1, "selecting rows of", name);
  H5Sget_simple_extent_dims(filespace, dims, NULL);
  for (int d = 0; d < ndim; d++) cnt[d] = dims[d];
  off[0]    = start;
  cnt[0]    = count;
  *memspace = H5Screate_simple(ndim, cnt, NULL);
  if (count == 0) {
    H5Sselect_none(filespace);
    H5Sselect_none(*memspace);
  } else
    CallH5(H5Sselect_hyperslab(filespace, H5S_SELECT_SET, off, NULL, cnt, NULL),
           "selecting rows of", name);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5SlabWrite(hid_t file, const char *name, hid_t mem_type, int ndim,
                                 const hsize_t dims[], hsize_t start, hsize_t count,
                                 const void *data)
{
  hid_t filespace, memspace, dset, dxpl, ftype;

  PetscFunctionBegin;
  ftype     = H5Tequal(mem_type, H5T_NATIVE_DOUBLE) > 0 ? H5T_IEEE_F64LE : H5T_STD_I64LE;
  filespace = H5Screate_simple(ndim, dims, NULL);
  dset      = H5Dcreate2(file, name, ftype, filespace, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CallH5(dset, "creating", name);
  PetscCall(SelectRows(filespace, start, count, &memspace, name));
  dxpl = Collective();
  CallH5(H5Dwrite(dset, mem_type, memspace, filespace, dxpl, data), "writing", name);
  H5Pclose(dxpl);
  H5Sclose(memspace);
  H5Sclose(filespace);
  H5Dclose(dset);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5SlabShape(hid_t file, const char *path, const char *name, int ndim,
                                 hsize_t dims[])
{
  hid_t dset, space;
  int   got;

  PetscFunctionBegin;
  H5E_BEGIN_TRY
  {
    dset = H5Dopen2(file, name, H5P_DEFAULT);
  }
  H5E_END_TRY;
  WalrasCheckInput(dset >= 0, "%s: dataset '%s': missing", path, name);
  space = H5Dget_space(dset);
  got   = H5Sget_simple_extent_ndims(space);
  if (got == ndim) H5Sget_simple_extent_dims(space, dims, NULL);
  H5Sclose(space);
  H5Dclose(dset);
  WalrasCheckInput(got == ndim, "%s: dataset '%s': expected %d dimensions, got %d", path, name,
                   ndim, got);
  PetscFunctionReturn(0);
}

PetscErrorCode WalrasH5SlabRead(hid_t file, const char *name, hid_t mem_type, hsize_t start,
                                hsize_t count, void *data)
{
  hid_t dset, filespace, memspace, dxpl;

  PetscFunctionBegin;
  dset = H5Dopen2(file, name, H5P_DEFAULT);
  CallH5(dset, "opening", name);
  filespace = H5Dget_space(dset);
  PetscCall(SelectRows(filespace, start, count, &memspace, name));
  dxpl = Collective();
  CallH5(H5Dread(dset, mem_type, memspace, filespace, dxpl, data), "reading", name);
  H5Pclose(dxpl);
  H5Sclose(memspace);
  H5Sclose(filespace);
  H5Dclose(dset);
  PetscFunctionReturn(0);
}
