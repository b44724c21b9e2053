"""What the importers and exporters share: ids, readable YAML output, checking the result.

Notes about a source file are ``builder.problems.Problem`` objects, printed ``path:line:
message`` like every other problem the builder reports.  An importer adds an error for what
stops the file being read and a warning for each thing it could not map (kept as text).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .. import checks, errors
from ..loader import Loaded, curly_quoted, load_text
from ..problems import Problems
from ..schema import KINDS

_NOT_ID = re.compile(r"[^a-z0-9]+")


class SourceError(Exception):
    """A source file that cannot be read at all; ``problems`` says where and why."""

    def __init__(self, problems: Problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def slug(text: str, fallback: str = "item") -> str:
    """A lower-case id from any text: ``"Ask about the order!"`` -> ``ask-about-the-order``."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    out = _NOT_ID.sub("-", text.lower()).strip("-")[:80].strip("-")
    return out or fallback


class Ids:
    """Hands out unique ids: the second ``take("intro")`` gets ``intro-2``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, text: str, fallback: str = "item") -> str:
        base = slug(text, fallback)
        out, n = base, 2
        while out in self.used:
            out, n = f"{base}-{n}", n + 1
        self.used.add(out)
        return out

    def keep_or_take(self, candidates: tuple[str, ...], text: str, fallback: str) -> str:
        """The first of ``candidates`` (ids a question bank gave its items) that is a usable id and
        not taken yet, else :meth:`take` of ``text``: imported questions keep their bank's ids."""
        for candidate in (c.strip() for c in candidates):
            if (
                candidate
                and _BANK_ID.match(candidate)
                and candidate not in self.used
                and len(candidate) <= 120
            ):
                self.used.add(candidate)
                return candidate
        return self.take(text or fallback, fallback)


_BANK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def read_source(path: Path, display: str) -> str:
    """The text of a source file (UTF-8, a BOM is dropped); ``SourceError`` when it cannot be read."""
    problems = Problems(display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(1, f"cannot read the file: {exc.strerror or exc}")
        raise SourceError(problems) from None
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.add(line, f"byte 0x{raw[exc.start]:02x} is not UTF-8; save the file as UTF-8")
        raise SourceError(problems) from None


# ---------------------------------------------------------------- YAML output


class _Dumper(yaml.SafeDumper):
    """Block style, keys in the order given, no anchors (our loader refuses aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key

    def choose_scalar_style(self) -> str:
        style = super().choose_scalar_style()
        # text that would need quotes (it has a colon, or starts with a quote) reads better as
        # a folded block than with its quotes doubled or escaped
        if style in ("'", '"') and not self.flow_level and not self.simple_key_context:
            if self.analysis is None:
                self.analysis = self.analyze_scalar(self.event.value)
            value = self.event.value
            wordy = any(ch in value for ch in "'\"") or ": " in value or len(value) > 40
            if wordy and self.analysis.allow_block and not self.analysis.empty and value.strip() == value:
                return ">"
        return style


class Flow(dict):
    """A small mapping written on one line: ``{calm: 1, trust: -1}``."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value.strip("\n"):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > 60:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    if curly_quoted(value):  # quoted speech: plain, it would read as a mistaken quote (loader's warning)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


def _flow(dumper: yaml.SafeDumper, value: Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Flow, _flow)


def dump_yaml(data: dict, header: str = "") -> str:
    """``data`` as YAML an author can read and edit: one key per line, long text folded,
    text with line breaks as a ``|`` block; the same data always gives the same lines."""
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
        indent=2,
    )
    lines = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return lines + body


# ---------------------------------------------------------------- checking the result


def check_output(text: str, display: str) -> Loaded:
    """Check written YAML exactly as ``course check`` checks a quiz or scenario file (schema and
    rules; not links to lessons, which depend on the project).  Problems are in ``.problems``."""
    return check_loaded(load_text(text, display))


def check_loaded(loaded: Loaded) -> Loaded:
    """The schema and rules of ``check_output`` on an already loaded file."""
    data = loaded.data
    if isinstance(data, dict) and data.get("kind") in KINDS:
        try:
            KINDS[data["kind"]].model_validate(data)
        except ValidationError as exc:
            errors.translate(exc, loaded)
        (checks.check_quiz if data["kind"] == "quiz" else checks.check_scenario)(loaded)
    return loaded


def title_from(path: Path) -> str:
    """``irate-customers_bank.aiken.txt`` -> ``Irate customers bank``."""
    words = re.sub(r"[-_]+", " ", path.name.split(".")[0]).strip()
    return (words[:1].upper() + words[1:]) if words else "Imported"
