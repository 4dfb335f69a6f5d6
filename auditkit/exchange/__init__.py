"""Vendor exchange files: questionnaires out as XLSX/YAML/JSON, filled answers back in.

Light to import: the XLSX modules (and openpyxl) load only when a workbook is read or written.

Rules worth knowing (also in the workbook's instructions sheet):
- Import is all-or-nothing: every problem is listed, one line each, and nothing is stored
  unless the whole file is valid.
- A blank answer, comment or evidence cell leaves the stored value unchanged; blank never erases.
- Vendor text is stored exactly as given (nothing stripped); comments are limited to
  10,000 characters and evidence references to 1,000.
- XLSX cells carry any character: characters XML cannot hold (control characters, CR) and a
  literal ``_xHHHH_`` are written with the OOXML ``_xHHHH_`` escape, as Excel does, and
  unescaped on import. Text that looks like a formula is written as text, never a formula;
  a formula typed into a returned workbook is refused.
"""

from __future__ import annotations

FORMAT = "auditkit-questionnaire/1"
FORMATS = ("xlsx", "yaml", "json")
