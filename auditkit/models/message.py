"""A reader-facing statement as data: a code and its parameters, rendered by the catalogue.

Scoring, validation and services say *what* happened with a `Message`; the label catalogue
(`auditkit.catalogue`, one YAML file per language) says it in words for the terminal, the
report and errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, Union


class Localised(Protocol):
    """Text that exists in every language (a checklist's `Text`)."""

    @property
    def en(self) -> str: ...

    @property
    def ja(self) -> str: ...


Param = Union[str, int, float, "Message", Localised]


@dataclass(frozen=True, slots=True)
class Message:
    code: str
    params: tuple[tuple[str, Param], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Param) -> Message:
        return cls(code, tuple(params.items()))

    def get(self, name: str) -> Param | None:
        return dict(self.params).get(name)

    def codes(self) -> set[str]:
        """This message's code and the codes of the messages it carries."""
        found = {self.code}
        for _, value in self.params:
            if isinstance(value, Message):
                found |= value.codes()
        return found

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view: nested messages as dicts, localised text as {en, ja}."""

        def plain(value: Param) -> Any:
            if isinstance(value, Message):
                return value.as_dict()
            if isinstance(value, str | int | float):
                return value
            return {"en": value.en, "ja": value.ja}

        return {"code": self.code, "params": {k: plain(v) for k, v in self.params}}
