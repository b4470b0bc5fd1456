"""`rattler-build build` for a machine with only Python: the same options, run through
py-rattler-build's Python API (pip install py-rattler-build; no rattler-build binary needed).

    python pybuild.py --recipe recipes/X/recipe.yaml --output-dir DIR [-c CHANNEL ...]
        [--variant-config FILE] [--target-platform SUBDIR] [--test native|skip]

scripts/recipes/build.py runs it as a subprocess, like the rattler-build and conda-build CLIs.
The API used (py-rattler-build >= 0.73): Stage0Recipe.from_file -> run_build(variant_config,
tool_config=ToolConfiguration(test_strategy), output_dir, channels, render_config), which renders
every variant, builds it, runs the recipe's tests and indexes the output folder.
Self-contained on purpose (no project imports): it runs from any working directory.
Exit codes: 0 built, 1 the build or a recipe test failed, 2 usage or py-rattler-build missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


class _Echo:
    """py-rattler-build's progress callback: its log lines to stdout, as the CLI prints them."""

    def on_log(self, event) -> None:
        print(event.message, flush=True)

    def on_build_step(self, event) -> None:
        print(f"== {event.step_name}: {event.message}", flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="pybuild.py", description=__doc__.splitlines()[0])
    parser.add_argument("--recipe", type=Path, required=True)
    parser.add_argument("--output-dir", type=Path, required=True)
    parser.add_argument("-c", "--channel", action="append", default=[], dest="channels")
    parser.add_argument("--variant-config", type=Path)
    parser.add_argument("--target-platform")
    parser.add_argument("--test", choices=("native", "skip"), default="native")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import rattler_build as rb
    except ImportError:
        print(
            "pybuild: py-rattler-build is not installed here: pip install py-rattler-build",
            file=sys.stderr,
        )
        return 2
    render = (
        rb.RenderConfig(platform=rb.PlatformConfig(target_platform=args.target_platform))
        if args.target_platform
        else None
    )
    try:
        recipe = rb.Stage0Recipe.from_file(args.recipe)
        variants = (
            rb.VariantConfig.from_file(args.variant_config)
            if args.variant_config
            else rb.VariantConfig()
        )
        results = recipe.run_build(
            variant_config=variants,
            tool_config=rb.ToolConfiguration(test_strategy=args.test),
            output_dir=args.output_dir,
            channels=args.channels or ["conda-forge"],
            render_config=render,
            progress_callback=_Echo(),
        )
    except (rb.RattlerBuildError, OSError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        print(f"pybuild: {args.recipe} failed: {reason}", file=sys.stderr)
        return 1
    for result in results:
        for package in result.packages:
            print(f"pybuild: built {package} ({result.build_time:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
