"""Package test: the messes a torch package can make in a conda environment, caught for real.

    python check_runtime.py

In order, each failing with one line (exit 1):
1. numpy is imported first and does BLAS work (conda-forge's OpenBLAS runs it on its OpenMP
   threads), then torch runs a parallel region on several threads. Afterwards exactly one OpenMP
   runtime file may be loaded in the process (read from dyld on macOS, /proc/self/maps on
   Linux): two are what "OMP: Error #15" aborts on, or what silently oversubscribes the cores.
2. torch.distributed.is_available() (the recipe builds USE_DISTRIBUTED=1, off by default on
   macOS).
3. A numpy round trip: torch.from_numpy shares memory both ways, .numpy() comes back equal.
4. A complex128 dot product, which comes out wrong when torch and the BLAS disagree on how
   cdotu/zdotu return their result (the check conda-forge's feedstock runs for the same reason).
5. On macOS: torch.backends.mps.is_built().

Kept identical in recipes/pytorch-mps and recipes/pytorch-mps-wheel (tests check it).
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable, Iterable

OPENMP_FILE = re.compile(r"^lib(?:omp|iomp5|gomp)(?:[-.].*)?\.(?:dylib|so(?:\.\d+)*)$")


def openmp_runtimes(
    paths: Iterable[str], realpath: Callable[[str], str] = os.path.realpath
) -> list[str]:
    """The distinct OpenMP runtime files among loaded image paths (symlinks resolved)."""
    found = []
    for path in paths:
        if OPENMP_FILE.match(os.path.basename(path)):
            real = realpath(path)
            if real not in found:
                found.append(real)
    return found


def loaded_images() -> list[str]:
    """Paths of the shared libraries loaded in this process."""
    if sys.platform == "darwin":
        libc = ctypes.CDLL(None)
        libc._dyld_image_count.restype = ctypes.c_uint32
        libc._dyld_get_image_name.restype = ctypes.c_char_p
        libc._dyld_get_image_name.argtypes = [ctypes.c_uint32]
        count = libc._dyld_image_count()
        return [os.fsdecode(libc._dyld_get_image_name(i) or b"") for i in range(count)]
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            return sorted({line.split()[-1] for line in maps if "/" in line})
    except OSError:
        return []


def main() -> int:
    import numpy as np  # first, on purpose

    rng = np.random.default_rng(0)
    a = rng.random((256, 256))
    blas = a @ a

    import torch

    threads = max(2, min(4, os.cpu_count() or 2))
    torch.set_num_threads(threads)
    big = torch.rand(1 << 22, dtype=torch.float64)
    parallel = float(big.mul(2.0).sum())  # an ATen parallel_for region
    mm = torch.from_numpy(a) @ torch.from_numpy(a)
    failures = []
    if abs(parallel - 2.0 * float(big.sum())) > 1e-6 * abs(parallel):
        failures.append("a parallel reduction gave a wrong sum")
    if not np.allclose(mm.numpy(), blas):
        failures.append("torch's matmul disagrees with numpy's on the same arrays")

    runtimes = openmp_runtimes(loaded_images())
    if len(runtimes) > 1:
        failures.append(
            f"{len(runtimes)} OpenMP runtimes are loaded in one process ({', '.join(runtimes)}): "
            "torch must use the environment's llvm-openmp (see post_install.py)"
        )

    import torch.distributed

    if not torch.distributed.is_available():
        failures.append("torch.distributed.is_available() is False: built without USE_DISTRIBUTED")

    shared = torch.from_numpy(a)
    a[0, 0] = 42.0
    if float(shared[0, 0]) != 42.0:
        failures.append("torch.from_numpy does not share memory with the numpy array")
    back = torch.tensor([1.5, -2.25, 3.0], dtype=torch.float64).numpy()
    if back.dtype != np.float64 or back.tolist() != [1.5, -2.25, 3.0]:
        failures.append(f"Tensor.numpy() round trip gave {back!r}")

    x = torch.tensor([2], dtype=torch.complex128)
    dot = torch.dot(x, x)
    if dot.real != 4.0 or dot.imag != 0.0:
        failures.append(f"complex128 dot gave {dot} instead of 4: BLAS return convention mismatch")

    if sys.platform == "darwin" and not torch.backends.mps.is_built():
        failures.append("torch.backends.mps.is_built() is False: this torch has no MPS backend")

    for failure in failures:
        print(f"check_runtime FAILED: {failure}", file=sys.stderr)
    if failures:
        return 1
    names = ", ".join(runtimes) or "none loaded"
    print(
        f"check_runtime ok: torch {torch.__version__}, numpy {np.__version__}, "
        f"{torch.get_num_threads()} threads, OpenMP runtime: {names}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
