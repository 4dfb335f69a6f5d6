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

    @classmethod
    def from_dict(cls, data: Any) -> Message:
        """The inverse of `as_dict`. A plain string (a record written before reasons were
        data) comes back as the `plain` message, shown as written."""
        if isinstance(data, str):
            return cls.of("plain", text=data)

        def param(value: Any) -> Param:
            if isinstance(value, dict) and "code" in value:
                return cls.from_dict(value)
            if isinstance(value, dict):
                return Words(str(value["en"]), str(value["ja"]))
            if isinstance(value, str | int | float):
                return value
            raise TypeError(f"unexpected message parameter {value!r}")

        params = data.get("params", {})
        if not isinstance(data.get("code"), str) or not isinstance(params, dict):
            raise TypeError(f"not a message: {data!r}")
        return cls(data["code"], tuple((str(k), param(v)) for k, v in params.items()))


@dataclass(frozen=True, slots=True)
class Words:
    """Localised text read back from stored data."""

    en: str
    ja: str
