"""User-facing causes and fixes, kept together so they read as one voice (flutter doctor).

Rules (verify.rules) and device checks (verify.checks) take their cause/fix text from here.
Edit by adding small entries; keep each cause a plain statement of what is wrong and each fix an
action the user can take (with the exact commands where there are some).
"""

from __future__ import annotations

from verify.model import Fix

# --- shared fixes -----------------------------------------------------------------------------
INSTALL_WITH_NOX = Fix(
    "Create the PyTorch environment with the project's installer.",
    ("nox -s install",),
)
