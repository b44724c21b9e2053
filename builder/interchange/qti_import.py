"""``course import qti SRC``: an IMS QTI 2.1 package (zip), assessment test or item into quiz YAML.

QTI 2.1 (IMS QTI v2.1 Final): ``choiceInteraction`` -> ``single`` (``maxChoices="1"``, one
correct response), ``multiple`` or ``true_false`` (two choices, true and false);
``orderInteraction`` -> ``order`` (the correct response's order); ``textEntryInteraction`` ->
``text`` (the correct response and every ``mapEntry`` with a positive value).  Feedback:
``modalFeedback`` or ``feedbackInline`` keyed by a choice's identifier -> that option's
feedback; other feedback -> the explanation (noted).  Every other interaction, and an item with
several, is reported at its line and left out.  QTI 2.0 and 2.2 namespaces are read alike.

A package is read in the order of its assessment test (``imsmanifest.xml`` names it), else of
the manifest's items.  The test's settings are read back: ``rubricBlock`` -> description,
``selection`` -> draw (per sub-section: ``{group: count}``), ``itemSessionControl``
``maxAttempts`` / ``showSolution="false"`` / ``showFeedback="false"`` -> attempts, reveal
never, exam mode, ``timeLimits maxTime`` -> time limit; a ``course-quiz`` comment written by
``course export qti`` gives them exactly.  XML is parsed by ``xmlsafe``; zip member names are
resolved inside the package only.
"""

from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

from ..problems import Problem, Problems
from .common import Ids, SourceError, slug
from .from_html import to_markdown
from .links import Links
from .markup import inner_html
from .settings import apply_settings, fit_draw, parse_comment
from .xmlsafe import Element, comments, parse

BLANK = "_____"
SUPPORTED = {"choiceInteraction", "orderInteraction", "textEntryInteraction"}
_INTERACTION = re.compile(r"Interaction$")


MAX_MEMBER = 20_000_000  # bytes: no question file is larger; a bigger one is a zip bomb or not a bank


class _Files:
    """Reads the files an item or test refers to: inside a zip, or beside a file on disk."""

    def __init__(self, display: str, zf: zipfile.ZipFile | None = None, folder: Path | None = None):
        self.display = display
        self.zf = zf
        self.folder = folder
        self.names = set(zf.namelist()) if zf else set()

    def where(self, name: str) -> str:
        return f"{self.display}/{name}" if self.zf else (Path(self.display).parent / name).as_posix()

    def _too_big(self, name: str) -> Problems:
        problems = Problems(self.where(name))
        problems.add(1, f"this file unpacks to more than {MAX_MEMBER // 1_000_000} MB; not read")
        return problems

    def read(self, name: str) -> bytes | None:
        name = posixpath.normpath(name)
        if name.startswith("../") or name.startswith("/"):
            return None
        if self.zf is not None:
            if name not in self.names:
                return None
            if self.zf.getinfo(name).file_size > MAX_MEMBER:
                raise SourceError(self._too_big(name))
            return self.zf.read(name)
        path = (self.folder or Path(".")) / name
        try:
            return path.read_bytes()
        except OSError:
            return None


def _clean(el: ET.Element) -> ET.Element:
    """``el`` without its comment nodes (they carry no text for the learner)."""
    for parent in list(el.iter()):
        for child in list(parent):
            if child.tag is ET.Comment:
                if child.tail:
                    pos = list(parent).index(child)
                    if pos:
                        parent[pos - 1].tail = (parent[pos - 1].tail or "") + child.tail
                    else:
                        parent.text = (parent.text or "") + child.tail
                parent.remove(child)
    return el


class _Items:
    def __init__(self, links: Links):
        self.links = links
        self.ids = Ids()
        self.problems: list[Problem] = []
        self.shuffle: list[bool] = []

    def md(self, el: ET.Element | None) -> str:
        return self.links.back(to_markdown(inner_html(_clean(el)))) if el is not None else ""

    def take_id(self, item: ET.Element, number: int) -> str:
        candidates = (item.get("title", ""), item.get("identifier", ""))
        return self.ids.keep_or_take(
            candidates, item.get("title") or item.get("identifier") or "", f"q{number}"
        )

    def read(self, item: ET.Element, where: str, number: int) -> dict | None:
        notes = Problems(where)
        try:
            return self._read(item, notes, number)
        finally:
            self.problems.extend(notes)

    def _read(self, item: ET.Element, notes: Problems, number: int) -> dict | None:
        if item.tag != "assessmentItem":
            notes.add(item.line, f"<{item.tag}> is not an assessmentItem; left out")
            return None
        label = f"item '{item.get('identifier') or item.get('title') or number}'"
        body = item.find("itemBody")
        if body is None:
            notes.add(item.line, f"{label} has no itemBody; left out")
            return None
        found = [el for el in body.iter() if isinstance(el.tag, str) and _INTERACTION.search(el.tag)]
        if not found:
            notes.warn(item.line, f"{label} has no interaction (a text-only item); left out")
            return None
        unsupported = [el for el in found if el.tag not in SUPPORTED]
        if unsupported:
            el = unsupported[0]
            notes.warn(el.line, f"{label} has a {el.tag}, which the course does not support; left out")
            return None
        if len(found) > 1:
            notes.warn(
                found[1].line,
                f"{label} has {len(found)} interactions; the course asks one question per item, left out",
            )
            return None
        interaction = found[0]
        rid = interaction.get("responseIdentifier", "RESPONSE")
        declaration = next(
            (d for d in item.findall("responseDeclaration") if d.get("identifier") == rid), None
        )
        correct = (
            [v.text or "" for v in declaration.findall("correctResponse/value")]
            if declaration is not None
            else []
        )
        mapping = {}
        if declaration is not None:
            for entry in declaration.findall("mapping/mapEntry"):
                try:
                    mapping[entry.get("mapKey", "")] = float(entry.get("mappedValue", "0"))
                except ValueError:
                    mapping[entry.get("mapKey", "")] = 0.0
        # the prompt: the interaction's own <prompt> and the body around the interaction
        prompt_el = interaction.find("prompt")
        prompt_md = self.md(prompt_el) if prompt_el is not None else ""
        feedback = {}
        for fb in item.findall("modalFeedback"):
            feedback.setdefault(fb.get("identifier", ""), []).append(self.md(fb))
        for choice in interaction.iter("simpleChoice"):
            for inline in choice.findall("feedbackInline"):
                feedback.setdefault(inline.get("identifier", ""), []).append(self.md(inline))
                choice.remove(inline)
        body_md = self.body(body, interaction)
        prompt = "\n\n".join(t for t in (body_md, prompt_md) if t)
        if not prompt:
            notes.add(item.line, f"{label} has no question text; left out")
            return None
        out: dict = {"id": self.take_id(item, number), "type": "", "prompt": prompt}
        used: set[str] = set()
        if interaction.tag == "choiceInteraction":
            q = self.choice(interaction, label, notes, correct, mapping, feedback, used)
        elif interaction.tag == "orderInteraction":
            q = self.order(interaction, label, notes, correct)
        else:
            q = self.text_entry(interaction, label, notes, correct, mapping, declaration)
        if q is None:
            return None
        out.update(q)
        rest = [text for key, texts in feedback.items() if key not in used for text in texts if text]
        if rest:
            keys = [k for k in feedback if k not in used and k != "EXPLANATION"]
            if keys:
                notes.warn(
                    item.line,
                    f"{label}: feedback {', '.join(repr(k) for k in keys)} is kept in the explanation",
                )
            out["explanation"] = "\n\n".join(dict.fromkeys(rest))
        return out

    def body(self, body: ET.Element, interaction: ET.Element) -> str:
        """The item body as Markdown, the interaction out: a text entry inside text is a blank."""
        body = _deep(body)
        for parent in list(body.iter()):
            for child in list(parent):
                if isinstance(child.tag, str) and _INTERACTION.search(child.tag):
                    pos = list(parent).index(child)
                    before = parent.text if pos == 0 else parent[pos - 1].tail
                    # a text entry with words around it is a blank in the sentence; alone in its
                    # paragraph (as our export writes it) it is just the answer box
                    inline = child.tag == "textEntryInteraction" and bool(
                        (before or "").strip()
                        or (child.tail or "").strip()
                        or (parent is not body and len(parent) > 1)
                    )
                    tail = child.tail or ""
                    blank = ""
                    if inline:
                        lead = "" if not before or before[-1:].isspace() else " "
                        blank = lead + BLANK + (" " if tail[:1].isalnum() else "")
                    replacement = blank + tail
                    if pos:
                        parent[pos - 1].tail = (parent[pos - 1].tail or "") + replacement
                    else:
                        parent.text = (parent.text or "") + replacement
                    parent.remove(child)
        for parent in list(body.iter()):
            for child in list(parent):
                if child.tag in ("p", "div") and not len(child) and not (child.text or "").strip():
                    pos = list(parent).index(child)
                    if child.tail:
                        if pos:
                            parent[pos - 1].tail = (parent[pos - 1].tail or "") + child.tail
                        else:
                            parent.text = (parent.text or "") + child.tail
                    parent.remove(child)
        text = self.md(body)
        return re.sub(r" {2,}" + re.escape(BLANK.replace("_", "\\_")), f" {BLANK}", text).replace(
            BLANK.replace("_", "\\_"), BLANK
        )

    def choice(self, interaction, label, notes, correct, mapping, feedback, used) -> dict | None:
        choices = interaction.findall("simpleChoice")
        if len(choices) < 2:
            notes.add(interaction.line, f"{label} needs at least two choices; left out")
            return None
        right = set(correct) or {k for k, v in mapping.items() if v > 0}
        if not right:
            notes.add(interaction.line, f"{label}: no correct response is declared; left out")
            return None
        self.shuffle.append(interaction.get("shuffle") == "true")
        ids = [c.get("identifier", "") for c in choices]
        texts = [self.md(c) for c in choices]
        if len(choices) == 2 and (
            {i.lower() for i in ids} == {"true", "false"} or {t.lower() for t in texts} == {"true", "false"}
        ):
            true_at = [
                i
                for i, (ident, text) in enumerate(zip(ids, texts, strict=True))
                if "true" in (ident.lower(), text.lower())
            ][0]
            out: dict = {"type": "true_false", "answer": ids[true_at] in right}
            for n, key in ((true_at, "feedback_true"), (1 - true_at, "feedback_false")):
                text = "\n\n".join(t for t in feedback.get(ids[n], []) if t)
                if text:
                    out[key] = text
                used.add(ids[n])
            return out
        max_choices = interaction.get("maxChoices", "1")
        single = max_choices == "1" and len(right) == 1
        if max_choices == "1" and len(right) > 1:
            notes.warn(
                interaction.line, f"{label}: {len(right)} correct responses; imported as multiple choice"
            )
        options = []
        for ident, text, el in zip(ids, texts, choices, strict=True):
            if not text:
                notes.add(el.line, f"{label}: choice '{ident}' is empty; left out")
                return None
            option: dict = {"text": text}
            if ident in right:
                option["correct"] = True
            fb = "\n\n".join(t for t in feedback.get(ident, []) if t)
            if fb:
                option["feedback"] = fb
                used.add(ident)
            if el.get("fixed") == "true":
                option["pin"] = True
            options.append(option)
        return {"type": "single" if single else "multiple", "options": options}

    def order(self, interaction, label, notes, correct) -> dict | None:
        by_id = {c.get("identifier", ""): self.md(c) for c in interaction.findall("simpleChoice")}
        order = correct or list(by_id)
        if not correct:
            notes.warn(interaction.line, f"{label}: no correct order is declared; the choices' order is used")
        missing = [i for i in order if i not in by_id]
        if missing or len(order) < 2:
            notes.add(
                interaction.line, f"{label}: the correct order names unknown choices {missing}; left out"
            )
            return None
        return {"type": "order", "items": [by_id[i] for i in order]}

    def text_entry(self, interaction, label, notes, correct, mapping, declaration) -> dict | None:
        accept = [c for c in correct if c.strip()]
        accept += [k for k, v in mapping.items() if v > 0 and k.strip()]
        partial = [k for k, v in mapping.items() if 0 < v < max(mapping.values())]
        for k in partial:
            notes.warn(interaction.line, f"{label}: '{k}' gives partial credit; accepted as right")
        if declaration is not None:
            for entry in declaration.findall("mapping/mapEntry"):
                if entry.get("caseSensitive") == "true":
                    notes.warn(interaction.line, f"{label} is case-sensitive in QTI; the course ignores case")
                    break
        if not accept:
            notes.add(interaction.line, f"{label}: no correct response is declared; left out")
            return None
        return {"type": "text", "accept": list(dict.fromkeys(accept))}


def _deep(el: ET.Element) -> ET.Element:
    if not isinstance(el.tag, str):
        out = ET.Comment(el.text)
    else:
        out = Element(el.tag, dict(el.attrib))
        out.line = getattr(el, "line", 1)
    out.text, out.tail = el.text, el.tail
    for child in el:
        out.append(_deep(child))
    return out


def _test_settings(test: ET.Element, problems: Problems, quiz: dict, groups: dict[str, str]) -> dict | None:
    """The quiz settings a test holds natively; the course-quiz comment when it has one."""
    for c in comments(test):
        try:
            settings = parse_comment(c.text or "")
        except ValueError as exc:
            problems.warn(test.line, f"the course-quiz settings are not valid JSON ({exc}); left out")
            continue
        if settings is not None:
            return settings
    settings: dict = {}
    part = test.find("testPart")
    if part is None:
        return settings
    control = part.find("itemSessionControl")
    if control is not None:
        if control.get("maxAttempts", "0").isdigit() and int(control.get("maxAttempts", "0")) > 0:
            settings["attempts"] = min(60, int(control.get("maxAttempts")))
        if control.get("showSolution") == "false":
            settings["reveal"] = "never"
        if control.get("showFeedback") == "false":
            settings["mode"] = "exam"
    limits = part.find("timeLimits")
    if limits is not None and limits.get("maxTime"):
        try:
            minutes = round(float(limits.get("maxTime")) / 60, 4)
            settings["time_limit"] = int(minutes) if minutes.is_integer() else minutes
        except ValueError:
            pass
    section = part.find("assessmentSection")
    if section is not None:
        rubric = section.find("rubricBlock")
        if rubric is not None:
            settings["description"] = to_markdown(inner_html(_clean(_deep(rubric))))
        selection = section.find("selection")
        if selection is not None and selection.get("select", "").isdigit():
            settings["draw"] = int(selection.get("select"))
        subs = section.findall("assessmentSection")
        draw = {}
        for sub in subs:
            sel = sub.find("selection")
            name = slug(sub.get("title") or sub.get("identifier") or "group", "group")
            if sel is not None and sel.get("select", "").isdigit() and int(sel.get("select")) > 0:
                draw[name] = int(sel.get("select"))
                for ref in sub.iter("assessmentItemRef"):
                    groups[ref.get("identifier", "")] = name
        if draw:
            settings["draw"] = draw
    gte = test.find(".//outcomeProcessing/setOutcomeValue[@identifier='PASS']/gte/baseValue")
    if gte is not None:
        quiz["_pass_needed"] = gte.text
    return settings


def read_qti_package(
    data: bytes,
    display: str,
    title: str | None = None,
    base_url: str | None = None,
    folder: Path | None = None,
) -> tuple[dict, Problems]:
    """A QTI zip package, assessmentTest or assessmentItem (bytes) -> (quiz data, notes).

    ``folder``: where a test file's item hrefs are resolved when ``data`` is a test on disk.
    ``SourceError`` when nothing can be read (not XML or zip, no items, unsafe XML)."""
    problems = Problems(display)
    items = _Items(Links(base_url))
    refs: list[tuple[str, str]] = []  # (href, identifier)
    test = None
    test_where = display
    if zipfile.is_zipfile(io.BytesIO(data)):
        zf = zipfile.ZipFile(io.BytesIO(data))
        files = _Files(display, zf=zf)
        test_href = None
        item_hrefs: list[str] = []
        manifest = files.read("imsmanifest.xml")
        if manifest is not None:
            root = parse(manifest, f"{display}/imsmanifest.xml")
            for res in root.iter("resource"):
                kind = res.get("type", "")
                href = res.get("href", "")
                if kind.startswith("imsqti_test") and test_href is None:
                    test_href = href
                elif kind.startswith("imsqti_item"):
                    item_hrefs.append(href)
        else:
            item_hrefs = sorted(n for n in files.names if n.endswith(".xml"))
        if test_href:
            raw = files.read(test_href)
            if raw is None:
                problems.add(1, f"imsmanifest.xml names the test {test_href}, which is not in the zip")
            else:
                test_where = files.where(test_href)
                test = parse(raw, test_where)
                base = posixpath.dirname(test_href)
                refs = [
                    (posixpath.join(base, r.get("href", "")), r.get("identifier", ""))
                    for r in test.iter("assessmentItemRef")
                ]
        if test is None:
            refs = [(h, "") for h in item_hrefs]
    else:
        files = _Files(display, folder=folder)
        root = parse(data, display)
        if root.tag == "assessmentItem":
            refs = []
            item = items.read(root, display, 1)
            quiz = _quiz(title or root.get("title") or "", [item] if item else [], items)
            problems.extend(items.problems)
            if not quiz["questions"]:
                problems.add(1, "no question could be imported from this file")
            return quiz, problems
        if root.tag != "assessmentTest":
            problems.add(
                root.line,
                f"the root element is <{root.tag}>, not a QTI assessmentTest or assessmentItem (or a zip package)",
            )
            raise SourceError(problems)
        test = root
        refs = [(r.get("href", ""), r.get("identifier", "")) for r in test.iter("assessmentItemRef")]
    quiz: dict = {}
    groups: dict[str, str] = {}
    settings: dict | None = {}
    if test is not None:
        test_notes = Problems(test_where)
        settings = _test_settings(test, test_notes, quiz, groups)
        problems.extend(test_notes)
    questions = []
    by_ref: dict[str, str] = {}
    for n, (href, ident) in enumerate(refs, 1):
        try:
            raw = files.read(href)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        if raw is None:
            problems.add(1, f"the item {href} is not in the package; left out")
            continue
        where = files.where(href)
        try:
            item = items.read(parse(raw, where), where, n)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        if item:
            questions.append(item)
            by_ref[ident] = item["id"]
    problems.extend(items.problems)
    name = title or (test.get("title") if test is not None else "") or ""
    out = _quiz(name, questions, items)
    needed = quiz.get("_pass_needed")
    if needed and "pass_mark" not in (settings or {}):
        shown = settings.get("draw") if settings else None
        total = (
            shown
            if isinstance(shown, int)
            else sum(shown.values())
            if isinstance(shown, dict)
            else len(questions)
        )
        try:
            mark = round(float(needed) / max(1, total) * 100, 2)
            if 0 <= mark <= 100:
                out["pass_mark"] = int(mark) if mark.is_integer() else mark
        except ValueError:
            pass
    if settings:
        if "questions" not in settings and groups:
            settings["questions"] = {by_ref[i]: {"group": g} for i, g in groups.items() if i in by_ref}
        notes = Problems(test_where)
        apply_settings(out, settings, notes, test.line if test is not None else 1)
        fit_draw(out, notes, test.line if test is not None else 1)
        problems.extend(notes)
    if not out["questions"]:
        problems.add(1, "no question could be imported from this file")
    return out, problems


def _quiz(title: str, questions: list[dict], items: _Items) -> dict:
    quiz: dict = {"kind": "quiz", "title": title if title.strip() else "Imported questions", "pass_mark": 75}
    if items.shuffle and all(items.shuffle):
        quiz["shuffle"] = True
    quiz["questions"] = questions
    return quiz
