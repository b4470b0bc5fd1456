"""Finish an installed torch for conda: one OpenMP runtime, and torch's own license files.

    python post_install.py --prefix PREFIX --site-packages SP_DIR --licenses-to DIR

1. OpenMP. torch/lib/libomp.dylib is a private copy of an OpenMP runtime: the official wheel
   bundles one, and torch's setup.py copies $PREFIX/lib/libomp.dylib next to libtorch_cpu in a
   source build. libtorch_cpu loads it as @rpath/libomp.dylib with @loader_path as its rpath.
   numpy or scipy from conda-forge (OpenBLAS, openmp flavour) load llvm-openmp's
   $PREFIX/lib/libomp.dylib: two OpenMP runtimes in one process, which abort with
   "OMP: Error #15" or oversubscribe the cores. The copy is replaced by a relative symlink to
   llvm-openmp's library, so both resolve to one file and dyld loads it once (conda-forge's
   feedstock links torch/lib/* back to $PREFIX/lib the same way: recipe/build.sh at
   74dd3d46ff0c3d05053197961386b5a2018cf3d1).
2. Licenses. The License-File entries of torch's installed METADATA (PEP 639; the files sit in
   the dist-info's licenses/ folder) are copied under DIR, for the recipe's license_file.

Kept identical in recipes/pytorch-mps and recipes/pytorch-mps-wheel (tests check it), so that
each recipe folder builds on its own. Exit 0 done, 1 stopped with one line, 2 usage.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from email.parser import HeaderParser
from pathlib import Path

OMP = "libomp.dylib"


class PostInstallError(Exception):
    """One line saying what is wrong and what to do."""


def link_conda_openmp(prefix: Path, site_packages: Path) -> str:
    """Replace torch/lib/libomp.dylib by a relative symlink to PREFIX/lib/libomp.dylib."""
    bundled = site_packages / "torch" / "lib" / OMP
    conda_omp = prefix / "lib" / OMP
    if not conda_omp.is_file():
        raise PostInstallError(
            f"{conda_omp} is missing: add llvm-openmp to the host and run requirements"
        )
    target = os.path.relpath(conda_omp, bundled.parent)
    if bundled.is_symlink() and os.readlink(bundled) == target:
        return f"{bundled} already links to {target}"
    if not bundled.exists() and not bundled.is_symlink():
        return f"torch bundles no {OMP}: nothing to replace (torch links {conda_omp} itself)"
    bundled.unlink()
    bundled.symlink_to(target)
    if bundled.resolve() != conda_omp.resolve():
        raise PostInstallError(f"{bundled} does not resolve to {conda_omp} after linking")
    return f"replaced torch's own {OMP} with a link to llvm-openmp's ({target})"


def torch_dist_info(site_packages: Path) -> Path:
    found = sorted(site_packages.glob("torch-*.dist-info"))
    if len(found) != 1:
        raise PostInstallError(
            f"expected one torch-*.dist-info in {site_packages}, found {len(found)}"
        )
    return found[0]


def copy_license_files(dist_info: Path, destination: Path) -> list[str]:
    """Copy each License-File of METADATA to destination/<its path>; returns the paths."""
    headers = HeaderParser().parsestr((dist_info / "METADATA").read_text(encoding="utf-8"))
    entries = headers.get_all("License-File") or []
    if not entries:
        raise PostInstallError(f"{dist_info / 'METADATA'} lists no License-File")
    copied = []
    for entry in entries:
        relative = Path(entry)
        if relative.is_absolute() or ".." in relative.parts:
            raise PostInstallError(f"License-File {entry!r} is not a relative path inside")
        for candidate in (dist_info / "licenses" / relative, dist_info / relative):
            if candidate.is_file():
                break
        else:
            raise PostInstallError(f"License-File {entry} is listed but not in {dist_info}")
        target = destination / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(candidate, target)
        copied.append(entry)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefix", type=Path, required=True)
    parser.add_argument("--site-packages", type=Path, required=True)
    parser.add_argument("--licenses-to", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        print("post_install: " + link_conda_openmp(args.prefix, args.site_packages))
        copied = copy_license_files(torch_dist_info(args.site_packages), args.licenses_to)
    except (PostInstallError, OSError) as exc:
        print(f"post_install error: {exc}", file=sys.stderr)
        return 1
    print(f"post_install: {len(copied)} license files from torch's METADATA -> {args.licenses_to}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
