"""VSAQ `cond` expressions as auditkit `applies_if` conditions on earlier answers.

VSAQ's grammar: names joined by `&&`, `||`, `!` and parentheses. A name is a radio or check
box id (picked), `id/yes` or `id/no` for a yes/no item, `^id` (is the item visible) or
`id/value`; VSAQ also has `matches(...)`/`contains(...)` functions on typed text. Only picked
choices of earlier questions of the same checklist are expressible; anything else raises
`Inexpressible` with the reason, and the caller keeps the question unconditional.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from auditkit import catalogue
from auditkit.models.message import Message

_TOKEN = re.compile(r"\s*(&&|\|\||!|\(|\)|[\^]?[A-Za-z0-9_]+(?:/[A-Za-z]+)?|\S)")


class Inexpressible(ValueError):
    """The expression has a part auditkit conditions cannot say (`said`: which, as a message)."""

    def __init__(self, said: Message) -> None:
        super().__init__(catalogue.load("en").render(said))
        self.said = said


# A name resolves to (our question id, our choice value, whether the question is multi-choice).
Names = Mapping[str, tuple[str, str, bool]]


def translate(expression: str, names: Names) -> dict[str, Any]:
    tokens = [m.group(1) for m in _TOKEN.finditer(expression)]
    parser = _Parser(tokens, names)
    condition = parser.any_of()
    if parser.position != len(tokens):
        raise Inexpressible(Message.of("cond_unexpected", token=repr(tokens[parser.position])))
    return condition


class _Parser:
    def __init__(self, tokens: list[str], names: Names) -> None:
        self.tokens = tokens
        self.names = names
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise Inexpressible(Message.of("cond_ends_early"))
        self.position += 1
        return token

    def any_of(self) -> dict[str, Any]:
        parts = [self.all_of()]
        while self.peek() == "||":
            self.take()
            parts.append(self.all_of())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def all_of(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self.peek() == "&&":
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def unary(self) -> dict[str, Any]:
        word = self.take()
        if word == "!":
            return {"not": self.unary()}
        if word == "(":
            inner = self.any_of()
            if self.take() != ")":
                raise Inexpressible(Message.of("cond_unbalanced"))
            return inner
        return self.name(word)

    def name(self, token: str) -> dict[str, Any]:
        if token.startswith("^"):
            raise Inexpressible(Message.of("cond_tests_shown", token=repr(token)))
        if self.peek() == "(":
            raise Inexpressible(Message.of("cond_tests_text", token=token))
        found = self.names.get(token)
        if found is None:
            raise Inexpressible(Message.of("cond_not_earlier", token=repr(token)))
        question, value, multi = found
        return {"answer": question, "contains" if multi else "equals": value}
