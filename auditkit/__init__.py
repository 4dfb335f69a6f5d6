"""auditkit: security due diligence for outsourced vendors.

`auditkit.Workspace` is the library API (imported on first use, so `import auditkit` stays light).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditkit.services.signoff import SignOffRequest
    from auditkit.services.workspace import Workspace

__version__ = "0.1.0"
__all__ = ["SignOffRequest", "Workspace", "__version__"]

# openpyxl switches its XML parsing to lxml whenever lxml is installed (pyHanko depends on it).
# Workbooks are parsed through defusedxml, whatever else is installed: keep openpyxl on it.
os.environ.setdefault("OPENPYXL_LXML", "False")


def __getattr__(name: str) -> Any:
    if name == "Workspace":
        from auditkit.services.workspace import Workspace

        return Workspace
    if name == "SignOffRequest":
        from auditkit.services.signoff import SignOffRequest

        return SignOffRequest
    raise AttributeError(f"module 'auditkit' has no attribute {name!r}")
