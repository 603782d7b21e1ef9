# Sourced by the scripts: environment for running Open MPI as root (CI and
# containers) and for oversubscribing the 2-core CI machine.
export OMPI_ALLOW_RUN_AS_ROOT=1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
WALRAS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export WALRAS_ROOT
