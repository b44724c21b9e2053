"""``course translate export|import``: the translation round trip of a course's text (issue 14 item 3).

Layout of a translated course (the one mkdocs-static-i18n reads, see content/guide/translate.md):

- a lesson ``content/<path>.md`` is translated in ``content/<path>.<lang>.md``;
- a quiz or scenario ``quizzes/<id>.yml`` in ``quizzes/<lang>/<id>.yml``: the same file with only
  its text fields translated (builder/translate_yaml.py).

The catalog is a gettext PO file (written with polib).  Each entry is one segment:

- ``msgctxt``: its stable id, ``quizzes/<id>.yml#<field path>`` (question ids and node ids rather than
  positions where there are ids) or ``content/<path>.md#<hash of the English text>``;
- ``msgid``: the English text, ``msgstr``: the translation (prefilled from the translated files);
- ``#:`` the source file and line, ``#.`` the kind of field and notes for the translator;
- flag ``fuzzy`` with ``#| msgid`` (the English it was translated from) when the English changed
  since the catalog was last written: export reads the previous catalog at ``-o`` (or
  ``--previous``) to know what changed.

Import writes only what the catalog translates: a fuzzy or empty entry leaves the translated file's
text as it is (or the English, in a file made new).  A file whose translations did not change is
written back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import translate_md, translate_yaml

LANG_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")
SEGMENT_NOTE = re.compile(r"segment (\d+)")
LETTER_RE = re.compile(r"[^\W\d_]")


def _same_is_translated(text: str, kind: str = "") -> bool:
    """Whether a translated file that keeps the English text as it is counts as translated: text
    without letters (numbers, symbols) and speakers' names read the same in every language."""
    return kind == "speaker" or not LETTER_RE.search(text)


class TranslateError(Exception):
    """An author-facing problem: ``path:line: message``."""


@dataclass
class Project:
    root: Path
    docs: str = "content"
    quizzes: str = "quizzes"
    exclude: list[str] = field(default_factory=list)

    @property
    def docs_dir(self) -> Path:
        return self.root / self.docs

    @property
    def quizzes_dir(self) -> Path:
        return self.root / self.quizzes


def read_project(root: Path) -> Project:
    """The folders of the course at ``root`` (from mkdocs.yml, when it has one)."""
    from .project import read_project as read

    try:
        p = read(root)
        docs = Path(p.docs).as_posix() if p.docs else "content"
        quizzes = Path(p.quizzes).as_posix() if p.quizzes else "quizzes"
        exclude = str(p.exclude_docs or "").split("\n")
    except Exception:  # a broken mkdocs.yml: `course check` reports it; use the defaults here
        docs, quizzes, exclude = "content", "quizzes", []
    return Project(Path(root), docs, quizzes, [e.strip() for e in exclude if e.strip()])


def language_of(path: Path) -> str | None:
    """``es`` for ``page.es.md``, None for ``page.md``."""
    parts = path.name.split(".")
    return parts[-2] if len(parts) >= 3 and LANG_RE.match(parts[-2]) else None


def lesson_pages(project: Project) -> list[Path]:
    """The English lesson pages (not translations, not excluded from the site), sorted."""
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(project.exclude)
    out = []
    for path in sorted(project.docs_dir.rglob("*.md")):
        rel = path.relative_to(project.docs_dir).as_posix()
        if language_of(path) or spec.match_file(rel):
            continue
        out.append(path)
    return out


def course_files(project: Project) -> list[Path]:
    """The English quiz and scenario files (``quizzes/*.yml``; language folders are translations)."""
    return sorted(p for p in project.quizzes_dir.glob("*.y*ml") if p.is_file())


def translated_page(path: Path, lang: str) -> Path:
    return path.with_name(f"{path.stem}.{lang}{path.suffix}")


def translated_file(project: Project, path: Path, lang: str) -> Path:
    return project.quizzes_dir / lang / path.name


def _rel(project: Project, path: Path) -> str:
    return path.relative_to(project.root).as_posix()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# ---------------------------------------------------------------- export


def export(root: Path, lang: str, previous: Path | None = None) -> polib.POFile:
    """The catalog of every translatable string of the course at ``root`` for ``lang``, prefilled
    from the translated files, with entries whose English changed since ``previous`` (a catalog
    written before) marked fuzzy."""
    if not LANG_RE.match(lang) or lang == "en":
        raise TranslateError(f"'{lang}' is no language code to translate into; use e.g. es, fr, de, pt-BR")
    project = read_project(root)
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": root.resolve().name,
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": "course translate export",
    }
    old = _previous(previous)
    for key in ("PO-Revision-Date", "Last-Translator", "Language-Team"):  # the translators' own
        po.metadata[key] = old["meta"].get(key) or (
            "YEAR-MO-DA HO:MI+ZONE" if key == "PO-Revision-Date" else ""
        )
    for path in lesson_pages(project):
        _export_page(project, path, lang, po, old)
    for path in course_files(project):
        _export_file(project, path, lang, po, old)
    return po


def _previous(path: Path | None) -> dict:
    if path is None or not path.is_file():
        return {"ctx": {}, "pos": {}, "meta": {}}
    try:
        old = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise TranslateError(f"{path}:1: not a PO file: {exc}") from exc
    by_ctx, by_pos = {}, {}
    for entry in old:
        by_ctx[entry.msgctxt] = entry
        m = SEGMENT_NOTE.search(entry.comment or "")
        if m and entry.msgctxt and "#" in entry.msgctxt:
            by_pos[(entry.msgctxt.split("#")[0], int(m.group(1)))] = entry
    return {"ctx": by_ctx, "pos": by_pos, "meta": dict(old.metadata)}


def _add(po, old, *, ctx, msgid, msgstr, where, line, comment, pos_key=None) -> None:
    entry = polib.POEntry(msgctxt=ctx, msgid=msgid, msgstr=msgstr, occurrences=[(where, str(line))])
    entry.comment = comment
    before = old["ctx"].get(ctx) or (old["pos"].get(pos_key) if pos_key else None)
    if before is not None and before.msgid != msgid:
        # the English changed since the catalog was written: the translation needs work
        entry.flags.append("fuzzy")
        entry.previous_msgid = before.msgid
        if not entry.msgstr:
            entry.msgstr = before.msgstr
    elif before is not None and "fuzzy" in before.flags:
        entry.flags.append("fuzzy")
        entry.previous_msgid = before.previous_msgid
        entry.msgstr = entry.msgstr or before.msgstr
    elif before is not None and not entry.msgstr and before.msgstr:
        entry.msgstr = before.msgstr
    po.append(entry)


def _export_page(project: Project, path: Path, lang: str, po, old) -> None:
    where = _rel(project, path)
    pieces = translate_md.split(path.read_text(encoding="utf-8"))
    segs = translate_md.segments(pieces)
    there = _read(translated_page(path, lang))
    prefill: dict[int, str] = {}
    aligned = True
    if there is not None:
        theirs = translate_md.split(there)
        aligned = translate_md.shape(theirs) == translate_md.shape(pieces)
        if aligned:
            prefill = {n: s.text for n, s in enumerate(translate_md.segments(theirs))}
    for n, seg in enumerate(segs):
        text = prefill.get(n, "")
        comment = f"{seg.kind}; segment {n + 1}"
        if seg.text.lstrip().startswith("<"):
            comment += "; HTML: translate the text between the tags, keep tags and attributes"
        if not aligned:
            comment += (
                f"; {_rel(project, translated_page(path, lang))} is written in its own layout: import "
                "rewrites it only when every segment of this page is translated"
            )
        _add(
            po,
            old,
            ctx=f"{where}#{seg.id}",
            msgid=seg.text,
            msgstr=text if text != seg.text or _same_is_translated(text) else "",
            where=where,
            line=seg.line,
            comment=comment,
            pos_key=(where, n + 1),
        )


def _file_values(text: str | None) -> dict[tuple, str] | None:
    if text is None:
        return None
    try:
        return {f.path: f.value for f in translate_yaml.fields(text)}
    except Exception:  # a broken translation: `course check` reports it
        return None


def _export_file(project: Project, path: Path, lang: str, po, old) -> None:
    where = _rel(project, path)
    text = path.read_text(encoding="utf-8")
    try:
        found = translate_yaml.fields(text)
    except Exception as exc:
        raise TranslateError(f"{where}:1: not valid YAML ({exc}); run course check") from exc
    theirs = _file_values(_read(translated_file(project, path, lang))) or {}
    for f in found:
        mine = theirs.get(f.path, "")
        note = translate_yaml.note(f.kind)
        _add(
            po,
            old,
            ctx=f"{where}#{f.ctx}",
            msgid=f.value,
            msgstr=mine if mine != f.value or _same_is_translated(mine, f.kind) else "",
            where=where,
            line=f.line,
            comment=f"field: {f.kind}" + (f"; {note}" if note else ""),
        )


# ---------------------------------------------------------------- import


def import_catalog(root: Path, catalog: Path) -> list[str]:
    """Write the translated course files of the course at ``root`` from ``catalog``; returns one
    line per file written or left alone (``path: message``)."""
    try:
        po = polib.pofile(str(catalog), wrapwidth=0)
    except (OSError, ValueError) as exc:
        raise TranslateError(f"{catalog}:1: not a PO file: {exc}") from exc
    lang = (po.metadata.get("Language") or "").strip()
    if not LANG_RE.match(lang) or lang == "en":
        raise TranslateError(f"{catalog}:1: the catalog names no language (header 'Language: es')")
    project = read_project(root)
    done = {
        e.msgctxt: e.msgstr
        for e in po
        if e.msgctxt and e.msgstr and "fuzzy" not in e.flags and not e.obsolete
    }
    report: list[str] = []
    for path in lesson_pages(project):
        line = _import_page(project, path, lang, done)
        if line:
            report.append(line)
    for path in course_files(project):
        line = _import_file(project, path, lang, done)
        if line:
            report.append(line)
    return report


def _write(path: Path, text: str) -> bool:
    if _read(path) == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return True


def _import_page(project: Project, path: Path, lang: str, done: dict) -> str | None:
    where = _rel(project, path)
    pieces = translate_md.split(path.read_text(encoding="utf-8"))
    segs = translate_md.segments(pieces)
    new = {n: done[f"{where}#{s.id}"] for n, s in enumerate(segs) if f"{where}#{s.id}" in done}
    target = translated_page(path, lang)
    shown = _rel(project, target)
    there = _read(target)
    if there is not None:
        theirs = translate_md.split(there)
        if translate_md.shape(theirs) == translate_md.shape(pieces):
            return f"{shown}: written" if _write(target, translate_md.join(theirs, new)) else None
        if len(new) < len(segs):
            return (
                f"{shown}: left as it is: it is laid out apart from {where} and the catalog translates "
                f"{len(new)} of its {len(segs)} segments"
            )
    elif not new:
        return None  # nothing translated yet: the site shows the English page
    return f"{shown}: written" if _write(target, translate_md.join(pieces, new)) else None


def _import_file(project: Project, path: Path, lang: str, done: dict) -> str | None:
    where = _rel(project, path)
    text = path.read_text(encoding="utf-8")
    found = translate_yaml.fields(text)
    new = {f.path: done[f"{where}#{f.ctx}"] for f in found if f"{where}#{f.ctx}" in done}
    target = translated_file(project, path, lang)
    shown = _rel(project, target)
    there = _read(target)
    base = text
    if there is not None:
        theirs = _file_values(there)
        if theirs is not None and set(theirs) == {f.path for f in found}:
            base = there
        else:
            return (
                f"{shown}: left as it is: its fields differ from {where}; fix it (course check) or delete it"
            )
    elif not new:
        return None
    return f"{shown}: written" if _write(target, translate_yaml.rewrite(base, new)) else None
