"""torch-mps-kit's verifier: is PyTorch with Apple MPS installed and really working here?

Importing this package never imports torch: host checks must work before PyTorch exists.
Torch is imported only in the worker process that runs device checks (verify.worker).
"""

__version__ = "0.1.0"
TOOL_NAME = "torch-mps-verify"
