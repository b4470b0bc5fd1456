"""Causes and fixes for an MPS problem on a torch that later releases fixed
(verify.diagnosis.behind), in
verify/messages.py's voice: what the paste shows, where its torch stood then and stands now,
then what to do first, with the exact commands."""

from __future__ import annotations

from packaging.version import Version

from verify.diagnosis.lag import Lag
from verify.messages import NIGHTLY
from verify.model import Fix

GET_STARTED = "https://pytorch.org/get-started/locally/"

_SHOWS = {
    "crash": "MPS crashing (a native crash or a failed assertion in MPS / Metal)",
    "compile": "torch.compile failing on MPS",
    "runtime": "an error raised while the code ran on MPS, none of the limits torch names "
    "(an operator without a kernel, float64, memory, the macOS)",
    "values": "MPS giving values that differ from the CPU's",
}
_WHY = (
    "MPS kernels, MPSGraph's lowering and Inductor's MPS code get fixes in every release (the "
    "backend was a prototype in 1.12), so a maintainer's first answer to such a report is to "
    "update and re-run, and most are closed as fixed in a later release or nightly "
    "(pytorch/pytorch#92329, #92615, #152155)."
)


def _releases(n: int) -> str:
    return f"{n} release{'s' if n != 1 else ''}"


def _then(lag: Lag) -> str:
    """Where the paste's torch stood when the paste was written."""
    w = lag.written
    when = f"on or after {w.after.isoformat()}: {w.why}" if w is not None else ""
    if lag.shown is None or lag.release is None:
        said = "The paste does not show which torch ran it"
        if w is not None and lag.newest_then is not None:
            return f"{said}; it was written when the newest release was {lag.newest_then} ({when})"
        return said
    shown = f"torch {lag.shown}"
    if lag.release.is_devrelease or lag.release.is_prerelease or _prerelease(lag.shown):
        shown = f"torch {lag.shown} (a pre-release of {lag.release})"
    if w is None or lag.behind_then is None:
        return f"It ran on {shown}"
    if lag.behind_then == 0:
        return (
            f"It ran on {shown}, the newest release when the paste was written ({when}): the "
            "fix could only come in a nightly or a later release"
        )
    return (
        f"It ran on {shown}, {_releases(lag.behind_then)} behind the newest, "
        f"{lag.newest_then}, when the paste was written ({when})"
    )


def _prerelease(version: str) -> bool:
    return any(mark in version for mark in (".dev", "a0", "+git", "rc"))


def _now(lag: Lag) -> str:
    if lag.behind_now:
        return f"; today's newest is {lag.newest_now}, {_releases(lag.behind_now)} later"
    if lag.release is not None and lag.release >= lag.newest_now:
        return f"; no release is newer today ({lag.newest_now} is the newest)"
    return f"; today's newest is {lag.newest_now}"


def fixed_in_newer_torch(kind: str, lag: Lag, target: Version) -> tuple[str, Fix]:
    """An MPS problem no known message explains, on a torch later releases followed."""
    cause = (
        f"The paste shows {_SHOWS.get(kind, _SHOWS['runtime'])}. {_then(lag)}{_now(lag)}. {_WHY}"
    )
    current = lag.release is not None and lag.release >= target
    if current:
        newest = (
            f"torch {lag.shown} is a build past every release: try a newer nightly"
            if lag.shown and _prerelease(lag.shown) and lag.release > lag.newest_now
            else f"torch {lag.shown} is already the newest release this Mac can take: try the "
            "nightly"
        )
        fix = Fix(
            f"{newest} and re-run; if it still fails there, report it to pytorch/pytorch with "
            "`python -m torch.utils.collect_env` and the same code's CPU result.",
            (NIGHTLY,),
            GET_STARTED,
        )
        return cause, fix
    pinned = target < lag.newest_now
    command = (
        f'python -m pip install --upgrade "torch=={target}"'
        if pinned
        else "python -m pip install --upgrade torch"
    )
    limit = " (the newest this Mac's macOS or Python can take)" if pinned else ""
    fix = Fix(
        f"Before anything else, update torch to {target}{limit} in the environment that runs "
        "the code (conda: `conda install -c conda-forge pytorch`), check "
        '`python -c "import torch; print(torch.__version__)"` there, and re-run; if it still '
        f"fails, try the nightly (`{NIGHTLY}`), then report it to pytorch/pytorch with "
        "`python -m torch.utils.collect_env`.",
        (command,),
        GET_STARTED,
    )
    return cause, fix


def app_runs_older_torch(app: str, other: str, lag: Lag) -> tuple[str, Fix]:
    """An application's start-up log names an older torch than the paste's other lines."""
    then = ""
    if lag.written is not None and lag.behind_then:
        then = (
            f"; torch {app} was {_releases(lag.behind_then)} behind the newest, "
            f"{lag.newest_then}, when the paste was written (on or after "
            f"{lag.written.after.isoformat()}: {lag.written.why})"
        )
    cause = (
        f"The application's own start-up log shows it imported torch {app}, while the paste's "
        f"other lines show torch {other}: the application runs its own Python environment (a "
        f"venv or an app bundle), so upgrading torch elsewhere did not reach it{then}. MPS "
        f"fixes (bfloat16, new kernels) come with releases: the application gets only those of "
        f"torch {app}."
    )
    fix = Fix(
        "Upgrade torch with the application's own Python (its venv's `bin/python -m pip`), "
        "then check the version its start-up log prints.",
        ("venv/bin/python -m pip install --upgrade torch torchvision torchaudio",),
        GET_STARTED,
    )
    return cause, fix
