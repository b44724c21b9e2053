"""A problem found in an author's file, printed as ``path:line: message``."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = field(default="error", compare=False)  # "error" or "warning"
    # the root cause this problem follows from (issue 12): reported first, this one grouped under it
    cause: Problem | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        tag = "warning: " if self.severity == "warning" else ""
        message = self.message
        if "\n" in message or "\r" in message:  # one problem, one line that starts with path:line: (issue 12)
            message = " ".join(message.split())
        return f"{self.path}:{self.line}: {tag}{message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class Problems(list):
    """Collects problems for one file; ``add`` keeps call sites short."""

    def __init__(self, path: str):
        super().__init__()
        self.path = path

    def add(self, line: int, message: str, severity: str = "error") -> None:
        self.append(Problem(self.path, max(1, int(line or 1)), message, severity))

    def warn(self, line: int, message: str) -> None:
        self.add(line, message, "warning")
