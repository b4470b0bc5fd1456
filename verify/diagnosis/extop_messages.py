"""Causes and fixes for a compiled extension's operator that refused an MPS tensor
(verify.diagnosis.extop_rows; verify/messages.py's voice: what is wrong, then what to do)."""

from __future__ import annotations

from verify.model import Fix

# torchvision's MPS kernels (pytorch/vision#7643, merged 2023-08-01, first in torchvision 0.16:
# nms, roi_align, roi_pool, ps_roi_align, ps_roi_pool; pytorch/vision#9017: deform_conv2d,
# torchvision 0.23): the same operators an extension of its own often reimplements
TORCHVISION_MPS = {
    "nms": "0.16",
    "roialign": "0.16",
    "roi_align": "0.16",
    "roipool": "0.16",
    "roi_pool": "0.16",
    "psroialign": "0.16",
    "ps_roi_align": "0.16",
    "psroipool": "0.16",
    "ps_roi_pool": "0.16",
    "deformconv": "0.23",
    "deform_conv": "0.23",
    "deform_conv2d": "0.23",
}


def ext_op_without_mps(operator: str, wants: str) -> tuple[str, Fix]:
    """An extension's own kernel (C++ / CUDA, not torch's) refused an MPS tensor."""
    name = f"the extension operator {operator}" if operator else "a compiled extension operator"
    devices = "the CPU" if wants == "CPU" else "CUDA (and perhaps the CPU)"
    cause = (
        f"{name[0].upper()}{name[1:]} has kernels only for {devices} and checks the tensor's "
        "device itself, so the MPS tensor it got is refused: it has no MPS kernel. It does not "
        "go through torch's dispatcher, so PYTORCH_ENABLE_MPS_FALLBACK does not reroute it, "
        "and no torch upgrade adds one."
    )
    vision = TORCHVISION_MPS.get(operator.lower()) if operator else None
    alt = (
        f" torchvision.ops has an MPS kernel for it from torchvision {vision}: where the library "
        "can use torchvision's operator instead of its own, that runs on MPS."
        if vision
        else ""
    )
    fix = Fix(
        "Run that operator on the CPU: move its inputs there for the call (`.cpu()`) and the "
        "result back (`.to('mps')`), or run the model on device='cpu'." + alt
    )
    return cause, fix
