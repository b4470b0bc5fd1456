"""Loaded into the op-coverage worker first: makes `expecttest` unimportable, as in an
environment without it (torch's testing internals import it), so op_db cannot be loaded."""

import sys

for name in [m for m in sys.modules if m.startswith(("expecttest", "torch.testing._internal"))]:
    del sys.modules[name]
sys.modules["expecttest"] = None  # import expecttest -> ImportError
