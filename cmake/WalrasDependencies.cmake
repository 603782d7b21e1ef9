# Every dependency comes from Debian's packages and is found through its
# pkg-config file; nothing is vendored.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PETSC REQUIRED IMPORTED_TARGET PETSc)
pkg_check_modules(HDF5 REQUIRED IMPORTED_TARGET hdf5-openmpi)
pkg_check_modules(MPI REQUIRED IMPORTED_TARGET ompi-c)
pkg_check_modules(YAML REQUIRED IMPORTED_TARGET yaml-0.1)
pkg_check_modules(CJSON REQUIRED IMPORTED_TARGET libcjson)
pkg_check_modules(CRYPTO REQUIRED IMPORTED_TARGET libcrypto)

add_library(walras_deps INTERFACE)
target_link_libraries(walras_deps INTERFACE
  PkgConfig::PETSC PkgConfig::HDF5 PkgConfig::MPI PkgConfig::YAML
  PkgConfig::CJSON PkgConfig::CRYPTO)
add_library(Walras::deps ALIAS walras_deps)

find_program(MPIEXEC_EXECUTABLE NAMES mpiexec mpirun REQUIRED)
