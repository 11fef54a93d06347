"""Errors with a stable code for machines and a Dutch message for people.

A refused file carries every problem found, each naming the row, the column,
the bad value and what is allowed, so that a user can mend the whole file in
one pass.
"""

from dataclasses import dataclass, field


class PlatformError(Exception):
    """A user-facing error: `code` is stable, `message` is Dutch."""

    code = "fout"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class PermissionDeniedError(PlatformError):
    code = "geen_toegang"


class NotFoundError(PlatformError):
    code = "niet_gevonden"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input: where, what, and what is allowed."""

    message: str
    row: int | None = None
    column: str | None = None
    value: object = None
    allowed: str | None = None
    code: str = "ongeldige_waarde"

    def describe(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"rij {self.row}")
        if self.column:
            where.append(f"kolom '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value is not None and self.value != "":
            text += f" (waarde: {self.value!r})"
        if self.allowed:
            text += f"; toegelaten: {self.allowed}"
        return text

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "rij": self.row,
            "kolom": self.column,
            "waarde": None if self.value is None else str(self.value),
            "toegelaten": self.allowed,
            "melding": self.describe(),
        }


@dataclass
class InputRefusedError(PlatformError):
    """A whole input refused because of one or more problems; nothing written."""

    source: str
    problems: list[Problem] = field(default_factory=list)
    code: str = "bestand_geweigerd"

    def __post_init__(self):
        shown = "\n".join("- " + p.describe() for p in self.problems[:50])
        more = len(self.problems) - 50
        if more > 0:
            shown += f"\n- ... en nog {more} problemen"
        count = len(self.problems)
        noun = "probleem" if count == 1 else "problemen"
        message = (
            f"{self.source} is geweigerd: {count} {noun} gevonden, er is niets "
            f"opgeslagen.\n{shown}"
        )
        super().__init__(message, self.code)
