"""Files in the shape of each standard questionnaire, built here (no third-party copies).

The ids and question texts imitate the public formats; the workbooks have merged title rows,
a hidden column, a Yes/No/NA dropdown on the answer column and notes, as the real ones do.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# (id, question, domain) rows of a CAIQ-shaped template; A&A-02.1 ... use real CAIQ v4 ids.
CAIQ_ROWS = [
    (
        "A&A-02.1",
        "Are independent audit and assurance assessments conducted at least annually?",
        "Audit & Assurance",
    ),
    ("BCR-08.1", "Is cloud data periodically backed up?", "Business Continuity"),
    (
        "IAM-05.1",
        "Is the least privilege principle employed when implementing system access?",
        "Identity & Access Management",
    ),
    (
        "IAM-06.1",
        "Is a user access provisioning process defined and implemented?",
        "Identity & Access Management",
    ),
    (
        "SEF-03.1",
        "Is a security incident response plan established and maintained?",
        "Security Incident Management",
    ),
    (
        "UEM-06.1",
        "Are interactive-use endpoints configured to require an automatic lock screen?",
        "Universal Endpoint Management",
    ),
]
HECVAT_ROWS = [
    ("HFIH-01", "Do you have a formal incident response plan?"),
    ("HFIH-04", "Do you carry cyber-risk insurance?"),
    ("PPPR-01", "Do you have a documented patch management process?"),
    ("FIDP-11", "Do you monitor for intrusions on a 24 x 7 x 365 basis?"),
    ("DCTR-05", "Are your servers separated from other companies via a physical barrier?"),
]


def caiq_workbook(path: Path, answers: dict[str, tuple[Any, str | None]] | None = None) -> Path:
    """Title row merged over the columns, headers in row 2, a hidden ownership column."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    intro = workbook.active
    intro.title = "Introduction"
    intro["A1"] = "Consensus Assessments Initiative Questionnaire (shape only)"
    sheet = workbook.create_sheet("CAIQv4")
    sheet.merge_cells("A1:F1")
    sheet["A1"] = "Consensus Assessments Initiative Questionnaire v4"
    headers = [
        "Question ID",
        "Question",
        "CSP CAIQ Answer",
        "SSRM Control Ownership",
        "CSP Implementation Description (Optional/Recommended)",
        "CCM Domain Title",
    ]
    sheet.append(headers)
    sheet.column_dimensions["D"].hidden = True
    validation = DataValidation(type="list", formula1='"Yes,No,NA"', allow_blank=True)
    sheet.add_data_validation(validation)
    for qid, question, domain in CAIQ_ROWS:
        answer, notes = (answers or {}).get(qid, (None, None))
        sheet.append([qid, question, answer, "CSP-owned", notes, domain])
    validation.add(f"C3:C{len(CAIQ_ROWS) + 2}")
    workbook.save(path)
    return path


def hecvat_workbook(path: Path, answers: dict[str, tuple[Any, str | None]] | None = None) -> Path:
    """Two merged banner rows, headers in row 3, a hidden scoring column, N/A spelled so."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "HECVAT"
    sheet.merge_cells("A1:E1")
    sheet.merge_cells("A2:E2")
    sheet["A1"] = "Higher Education Community Vendor Assessment Toolkit (shape only)"
    sheet["A2"] = "Answer every question"
    sheet.append(["ID", "Question", "Answer", "Additional Information", "Score"])
    sheet.column_dimensions["E"].hidden = True
    validation = DataValidation(type="list", formula1='"Yes,No,N/A"', allow_blank=True)
    sheet.add_data_validation(validation)
    for qid, question in HECVAT_ROWS:
        answer, notes = (answers or {}).get(qid, (None, None))
        sheet.append([qid, question, answer, notes, 10])
    validation.add(f"C4:C{len(HECVAT_ROWS) + 3}")
    workbook.save(path)
    return path


# Every VSAQ item type, nested blocks, a choice raising a warning tip, and conditions that
# translate (on a radio choice, a check box, a yes/no) and one that does not (visibility).
VSAQ_TEMPLATE = """// A VSAQ-style template: comment lines and "+" string joins as in google/vsaq.
{
  "questionnaire": [
    {"type": "block", "text": "Vendor questionnaire", "items": [
      {"type": "block", "id": "block_security", "text": "Security <b>program</b>", "items": [
        {"type": "info", "text": "Tell us about your program."},
        {"type": "radiogroup", "id": "sec_ir", "text": "Are incident response " +
           "procedures documented?",
         "choices": [{"sec_ir_yes": "Yes"}, {"sec_ir_no": "No"}]},
        {"type": "tip", "id": "warn_sec_ir", "warn": "yes", "severity": "high",
         "cond": "sec_ir_no", "text": "Document your incident response procedures."},
        {"type": "block", "id": "block_ir_detail", "text": "Details", "cond": "sec_ir_yes",
         "items": [
          {"type": "box", "id": "sec_ir_describe", "text": "Describe the procedures:"}
        ]},
        {"type": "checkgroup", "text": "Which controls are in place?",
         "choices": [{"sec_ctl_ids": "IDS"}, {"sec_ctl_logs": "Log review"}]},
        {"type": "line", "id": "sec_ctl_logs_tool", "text": "Which log tool?",
         "cond": "sec_ctl_logs"},
        {"type": "yesno", "id": "sec_training", "text": "Is training mandatory?",
         "yes": "Yes, for everyone", "no": "No"},
        {"type": "line", "id": "sec_training_how", "text": "How often?",
         "cond": "sec_training/yes && !sec_ir_no"},
        {"type": "check", "id": "sec_declare", "text": "I confirm the answers."},
        {"type": "upload", "id": "sec_policy", "text": "Upload your policy."},
        {"type": "line", "id": "sec_shown", "text": "Shown when a tip shows",
         "cond": "^warn_sec_ir"},
        {"type": "spacer"}
      ]}
    ]}
  ]
}
"""

VSAQ_ANSWERS = {
    "sec_ir_yes": "checked",
    "sec_ir_no": "",
    "sec_ir_describe": "Runbook in the wiki",
    "sec_ctl_ids": "checked",
    "sec_ctl_logs": "checked",
    "sec_ctl_logs_tool": "Graylog",
    "sec_training": "yes",
    "sec_training_how": "Yearly",
    "sec_declare": "checked",
    "unknown_item": "checked",
}


def vsaq_files(directory: Path) -> tuple[Path, Path]:
    template = directory / "vsaq_template.json"
    template.write_text(VSAQ_TEMPLATE, encoding="utf-8")
    answers = directory / "vsaq_answers.json"
    answers.write_text(json.dumps(VSAQ_ANSWERS), encoding="utf-8")
    return template, answers
