"""The texts of verify.diagnosis.package_wheels's rows: another package's macOS wheels leave
this Python or this macOS out."""

from __future__ import annotations

from verify.mac_wheels import MacosLeftOut, PythonLeftOut
from verify.model import Fix


def release_left_out(left: PythonLeftOut, release: str) -> tuple[str, Fix]:
    """The release the install asked for has macOS wheels for other Pythons only."""
    name, python, wheels = left.package.name, left.python, _wheels(left)
    cause = (
        f"{name} {release} publishes {wheels} for Python {left.served.pythons()} "
        f"only, and this interpreter is Python {python}: the installer finds no file of it "
        f"for this Python (PyPI: {left.package.source}, read {left.package.read}), so the "
        "install stops and the environment, PyTorch's included, is not set up."
    )
    return cause, _fix(left)


def none_for_python(left: PythonLeftOut) -> tuple[str, Fix]:
    """pip found no release at all, while releases served other Pythons on this architecture."""
    name, python, wheels = left.package.name, left.python, _wheels(left)
    when = (
        f"its first {_wheels(left, plural=False)} for Python {python} came with "
        f"{left.first.first} (on "
        f"PyPI {left.first.day.isoformat()}), after the paste"
        if left.first is not None
        else f"no release of it has a {_wheels(left, plural=False)} for Python {python} yet"
    )
    cause = (
        f'pip found no release of {name} for Python {python} on this Mac ("from versions: '
        f'none"), while its {wheels} served Python {left.served.pythons()} '
        f"({left.served.first}-{left.served.last}): {when} (PyPI: {left.package.source}, read "
        f"{left.package.read}). The Python is what {name} left out, not the Mac."
    )
    return cause, _fix(left)


def _wheels(left: PythonLeftOut, *, plural: bool = True) -> str:
    """ "macOS arm64 wheels"; "macOS wheels" where the architecture was not shown."""
    noun = "wheels" if plural else "wheel"
    return f"macOS {left.arch} {noun}" if left.arch else f"macOS {noun}"


def _fix(left: PythonLeftOut) -> Fix:
    """Use the nearest Python the release serves (the newest older one, else the oldest newer
    one), or a release that serves this Python."""
    minor = int(left.python.split(".")[1])
    served = sorted(left.served.minors)
    older = [m for m in served if m < minor]
    nearest = older[-1] if older else next((m for m in served if m > minor), None)
    if nearest is None:
        text = (
            f"Create the environment with a Python {left.package.name} has wheels for (PyPI's "
            "files page lists them)"
        )
    else:
        text = (
            f"Create the environment with Python 3.{nearest} (`uv venv --python 3.{nearest}`, "
            f"or conda's `python=3.{nearest}`)"
        )
    if left.first is not None:
        text += f", or ask for {left.package.name} {left.first.first} or later"
    commands = (f"uv venv --python 3.{nearest}",) if nearest is not None else ()
    return Fix(text + ".", commands)


def macos_left_out(left: MacosLeftOut, release: str | None) -> tuple[str, Fix]:
    """Every macOS wheel of the package (of the release asked for) needs a newer macOS."""
    name = left.package.name
    asked = f"{name} {release}" if release else name
    arches = " and ".join(left.arches)
    cause = (
        f"No {asked} wheel installs on this Mac: its macOS wheels ({arches}) are tagged for "
        f"macOS {left.floor} and later (PyPI: {left.package.source}, read {left.package.read}), "
        f"and this Mac runs macOS {left.macos}, so pip and uv skip every one of them (pip then "
        "compiles the source, if there is one, which often fails) and the environment, "
        "PyTorch's included, is not set up."
    )
    fix = Fix(
        f"Update macOS to {left.floor} or later (Apple menu > System Settings > Software "
        f"Update), or use a release of {name} built for macOS {left.macos}, if there is one.",
        ("softwareupdate --list",),
    )
    return cause, fix


def built_for_python(left: PythonLeftOut) -> tuple[str, Fix]:
    """pip compiled the package from source where the release it took has no macOS wheel for this
    Python, while releases of it served other Pythons."""
    name, python, wheels = left.package.name, left.python, _wheels(left)
    since = (
        f"its {wheels} serve Python {python} only from {left.first.first} (on PyPI "
        f"{left.first.day.isoformat()}), so the release pip took (an older one, held by a pin "
        "or by the paste's day) has none"
        if left.first is not None
        else f"no release of it has a {_wheels(left, plural=False)} for Python {python} yet"
    )
    cause = (
        f"pip compiled {name} from source on Python {python}: {since}, while its {wheels} served "
        f"Python {left.served.pythons()} ({left.served.first}-{left.served.last}; PyPI: "
        f"{left.package.source}, read {left.package.read}). The build is what failed; the "
        f"Python is what {name}'s wheels left out, not the Mac."
    )
    return cause, _fix(left)
