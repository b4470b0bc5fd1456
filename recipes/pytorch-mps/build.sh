#!/bin/bash
# Build PyTorch with MPS from the release tarball (osx-arm64 only; the recipe skips the rest).
# The macOS settings follow conda-forge/pytorch-cpu-feedstock (recipe/build.sh and meta.yaml at
# 74dd3d46ff0c3d05053197961386b5a2018cf3d1); the fixes and guards are this recipe's own scripts.
set -euxo pipefail

if [[ "${target_platform}" != "osx-arm64" ]]; then
  echo "pytorch-mps builds for osx-arm64 only (got ${target_platform})" >&2
  exit 1
fi

# Seconds, not hours: a macOS SDK with MetalPerformanceShadersGraph and a `metal` compiler.
"${PYTHON}" "${RECIPE_DIR}/mps_guard.py" preflight
# Our source fixes (missing includes in c10d's Handlers.hpp, OpenBLAS through libblas/libcblas/
# liblapack); each stops the build at once when the file it fixes changed.
"${PYTHON}" "${RECIPE_DIR}/fix_source.py" .

export IN_PYTORCH_BUILD=1
# https://github.com/conda-forge/pytorch-cpu-feedstock/issues/243
export PACKAGE_TYPE=conda
# The version conda gives the package, without a ".post"/"a0+git" suffix (feedstock issue 315).
export PYTORCH_BUILD_VERSION="${PKG_VERSION}"
export PYTORCH_BUILD_NUMBER=0
# Keep pip from resolving build requirements itself: conda provides them.
rm -f pyproject.toml

export USE_MPS=1
export USE_CUDA=0
export USE_ROCM=0
export USE_MKLDNN=0        # as the feedstock: oneDNN is off on osx-arm64
export USE_DISTRIBUTED=1   # off by default on macOS; gloo's libuv comes from the host env
export USE_NUMA=0
export USE_ITT=0
export BUILD_TEST=0
export USE_OPENMP=1        # llvm-openmp from the host env; post_install.py keeps it the only one
# BLAS chosen explicitly: OpenBLAS's interface through conda-forge's switchable libblas/libcblas/
# liblapack (not Accelerate, not a private copy). run_constraints pin the openmp flavour.
export BLAS=OpenBLAS
export OpenBLAS_HOME="${PREFIX}"
export CMAKE_PREFIX_PATH="${PREFIX}"
export CMAKE_BUILD_TYPE=Release
# Memory, not only cores: a 16 GB Mac runs out with one compiler per core.
MAX_JOBS="$("${PYTHON}" "${RECIPE_DIR}/max_jobs.py")"
export MAX_JOBS
# The feedstock strips these: -dead_strip_dylibs drops needed libraries, and warnings flood logs.
export LDFLAGS="$(echo "${LDFLAGS}" | sed 's/-Wl,-dead_strip_dylibs//g')"
export LDFLAGS_LD="$(echo "${LDFLAGS_LD:-}" | sed 's/-dead_strip_dylibs//g')"
export CXXFLAGS="$(echo "${CXXFLAGS}" | sed 's/-std=c++[0-9][0-9]//g') -w"

# Configure only, then read what CMake decided before the hours of compiling: it turns USE_MPS
# off, or falls back to runtime-compiled Metal shaders, with only a warning.
"${PYTHON}" setup.py build --cmake-only
"${PYTHON}" "${RECIPE_DIR}/mps_guard.py" cache build/CMakeCache.txt

"${PYTHON}" -m pip install . --no-deps --no-build-isolation -vv

# One OpenMP runtime (llvm-openmp's), and torch's license files for about.license_file.
"${PYTHON}" "${RECIPE_DIR}/post_install.py" --prefix "${PREFIX}" --site-packages "${SP_DIR}" \
  --licenses-to "${SRC_DIR}/torch-licenses"
