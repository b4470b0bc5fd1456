"""How many compile jobs this Mac can run without running out of memory (prints MAX_JOBS).

    python max_jobs.py [--cpus N] [--memory-bytes B]

torch's setup.py runs MAX_JOBS compilers at once (default: every core). Several of torch's
translation units take 2-4 GB each to compile, so a 16 GB Mac with 10 cores swaps or gets a
compiler killed. The cap: one job per GIB_PER_JOB of physical memory, never more than the
cores, never fewer than one. A MAX_JOBS already set in the environment wins (stated on stderr).
conda-forge's feedstock caps its 12-core, 48 GB macOS runners at 8 jobs (recipe/build.sh at
74dd3d46ff0c3d05053197961386b5a2018cf3d1).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

GIB = 1 << 30
GIB_PER_JOB = 4


def max_jobs(cpus: int, memory_bytes: int | None, gib_per_job: int = GIB_PER_JOB) -> int:
    """min(cores, memory / gib_per_job), at least 1; cores alone when memory is unknown."""
    cpus = max(1, cpus)
    if not memory_bytes or memory_bytes <= 0:
        return cpus
    return max(1, min(cpus, memory_bytes // (gib_per_job * GIB)))


def physical_memory() -> int | None:
    """Bytes of RAM: sysctl hw.memsize on macOS, sysconf elsewhere; None when unknown."""
    if sys.platform == "darwin":
        try:
            out = subprocess.run(
                ["sysctl", "-n", "hw.memsize"], capture_output=True, text=True, check=True
            ).stdout
            return int(out.strip())
        except (OSError, subprocess.CalledProcessError, ValueError):
            return None
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--memory-bytes", type=int, default=None)
    args = parser.parse_args(argv)
    preset = os.environ.get("MAX_JOBS", "").strip()
    if preset.isdigit() and int(preset) > 0:
        print(f"max_jobs: MAX_JOBS={preset} from the environment wins", file=sys.stderr)
        print(preset)
        return 0
    memory = args.memory_bytes if args.memory_bytes is not None else physical_memory()
    jobs = max_jobs(args.cpus, memory)
    shown = f"{memory / GIB:.0f} GiB" if memory else "unknown memory"
    print(
        f"max_jobs: {jobs} jobs ({args.cpus} cores, {shown}, {GIB_PER_JOB} GiB per job)",
        file=sys.stderr,
    )
    print(jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
