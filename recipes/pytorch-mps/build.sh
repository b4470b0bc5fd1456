#!/bin/bash
# Build PyTorch with MPS from the release tarball (osx-arm64 only; the recipe skips the rest).
# Adapted from conda-forge/pytorch-cpu-feedstock recipe/build.sh (the macOS branch).
set -euxo pipefail

if [[ "${target_platform}" != "osx-arm64" ]]; then
  echo "pytorch-mps builds for osx-arm64 only (got ${target_platform})" >&2
  exit 1
fi

# MPS needs MetalPerformanceShadersGraph from a macOS SDK >= 12.3 (upstream's CMake finds it
# through xcrun). Fail here, with the reason, rather than build a torch without MPS.
sdk_version="$(xcrun --sdk macosx --show-sdk-version)"
if [[ "$(printf '%s\n' 12.3 "${sdk_version}" | sort -V | head -n1)" != "12.3" ]]; then
  echo "macOS SDK ${sdk_version} is older than 12.3: no MetalPerformanceShadersGraph, no MPS." >&2
  echo "Install Xcode or the Command Line Tools for macOS 14 or newer (xcode-select --install)." >&2
  exit 1
fi

export IN_PYTORCH_BUILD=1
# https://github.com/conda-forge/pytorch-cpu-feedstock/issues/243
export PACKAGE_TYPE=conda
# Keep pip from resolving build requirements itself: conda provides them.
rm -f pyproject.toml

export USE_MPS=1
export USE_CUDA=0
export USE_ROCM=0
export USE_MKLDNN=0        # as the feedstock: oneDNN is off on osx-arm64
export USE_DISTRIBUTED=1   # off by default on macOS; libuv comes from the host env
export USE_NUMA=0
export USE_ITT=0
export BUILD_TEST=0
export USE_OPENMP=1
export CMAKE_PREFIX_PATH="${PREFIX}"
export MAX_JOBS="${CPU_COUNT:-$(sysctl -n hw.ncpu)}"
# The feedstock strips these: -dead_strip_dylibs drops needed libraries, and warnings flood logs.
export LDFLAGS="$(echo "${LDFLAGS}" | sed 's/-Wl,-dead_strip_dylibs//g')"
export CXXFLAGS="$(echo "${CXXFLAGS}" | sed 's/-std=c++[0-9][0-9]//g') -w"

"${PYTHON}" -m pip install . --no-deps --no-build-isolation -vv
