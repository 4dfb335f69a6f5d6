"""Which checklist content a draft scores against: the content it was pinned to, read from the
checklist file when the file still says exactly that (pure: the stored contents come from the
caller, see `pinning.pinned`)."""

from __future__ import annotations

from collections.abc import Callable

from auditkit import catalogue
from auditkit.checklists import get as get_checklist
from auditkit.errors import ValidationProblem
from auditkit.models.audit import Audit
from auditkit.models.checklist import Checklist
from auditkit.models.message import Message
from auditkit.models.record import content_hash


def changed_under_same_version(audit_id: int, checklist: Checklist) -> Message:
    return Message.of(
        "checklist_changed_same_version",
        audit=audit_id,
        checklist=checklist.id,
        version=checklist.version,
    )


def resolve(
    audit: Audit,
    checklists: dict[str, Checklist],
    strict: bool,
    stored: Callable[[str], Checklist],
    adopt: Callable[[Checklist], str],
) -> tuple[list[Checklist], list[Message]]:
    """The audit's checklists as pinned, and warnings. `strict`: refuse a file whose content
    changed under the pinned version number (otherwise only warn). `stored` gives a pinned
    content by its hash; `adopt` pins a checklist of a draft started before contents were
    pinned (when the file has the version it was started with)."""
    hashes = dict(audit.checklist_hashes or {})
    out: list[Checklist] = []
    warnings: list[Message] = []
    for checklist_id, version in audit.checklists.items():
        current = checklists.get(checklist_id)
        sha = hashes.get(checklist_id)
        if sha is None:  # started before contents were pinned: pin what is here now
            current = get_checklist(checklists, checklist_id)
            if current.version != version:
                warnings.append(
                    Message.of(
                        "checklist_version_changed",
                        checklist=checklist_id,
                        new=current.version,
                        old=version,
                    )
                )
            else:
                adopt(current)
            out.append(current)
            continue
        if current is not None and current.version == version:
            if content_hash(current) == sha:  # the file says what was pinned: read it once
                out.append(current)
                continue
            if strict:
                said = changed_under_same_version(audit.id, current)
                english = catalogue.load("en").render(said)
                raise ValidationProblem([english]).saying(said)
            warnings.append(changed_under_same_version(audit.id, current))
        elif current is not None and current.version != version:
            warnings.append(
                Message.of(
                    "checklist_pinned_older",
                    checklist=checklist_id,
                    new=current.version,
                    old=version,
                    audit=audit.id,
                )
            )
        out.append(stored(sha))
    return out, warnings
