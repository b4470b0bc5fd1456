"""Op coverage from PyTorch's own test knowledge: which ops run natively on this machine?

The sweep runs torch's OpInfo database (torch.testing._internal.common_methods_invocations.op_db:
sample inputs, supported dtypes per device, tolerance overrides) on the device and on the CPU and
compares them the way PyTorch's own device-vs-CPU tests do, then classifies each (op, dtype) with
torch's MPS expectations (torch.testing._internal.common_mps) for this macOS.

Modules, imports one way (model <- expectations, classify <- supervisor, render <- command):
    model         the dataclasses: Item, Raw (what the worker measured), Row (classified), Coverage
    expectations  common_mps read as data (ast, no torch import): known failures per macOS version
    classify      pure rules Raw + expectations -> Row (native / known / fallback / ...)
    engine        runs one (op, dtype) in the worker (imports torch, op_db)
    worker        `python -m verify.opcoverage.worker`: one process running items in a loop
    supervisor    the parent side: per-item timeouts, restart after a crash, a total time bound
    render        console, Markdown and JSON views of a Coverage
    command       `python -m verify ops`
"""
