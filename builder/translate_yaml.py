"""The text fields of a quiz or scenario file, and the file rewritten with new text in them
(issue 14 item 3).

Only text a learner reads is translatable: titles, descriptions, prompts, option and choice text,
feedback, explanations, accepted typed answers, order items, node text and speakers, meter labels.
Keys, ids, node ids, ``to:`` targets, ``correct``/``answer`` flags, numbers, effects and moods
(the mood word picks the face drawn beside the speaker) stay as they are.

Rewriting works on the text itself, field by field (PyYAML node marks give each value's place):
an unchanged value keeps its bytes, so a file whose translations did not change is written back
byte for byte, comments and layout included.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

import yaml

TEXT_KEYS = {
    "title",
    "description",
    "prompt",
    "explanation",
    "text",
    "feedback",
    "feedback_true",
    "feedback_false",
    "label",
    "speaker",
}
LIST_KEYS = {"items": "order item"}  # one entry per item: the list's order is the answer key
ANSWERS_KEY = "accept"  # one entry for the whole list, one answer a line: its length may change
NOTES = {
    "accept": "Accepted answers: what learners type, one a line. A typed answer that matches one of "
    "these (ignoring case, accents and extra spaces) is right. Give the words a learner of this "
    "language would type; there may be more or fewer lines than in English.",
    "items": "An order item. Keep the items in the same (correct) order; learners see them shuffled.",
    "speaker": "Who is talking (a name or a role).",
    "label": "A meter's label, shown beside the gauge.",
}


@dataclass
class Field:
    """One translatable value: ``path`` (keys and list indexes into the data), ``ctx`` (the stable
    id: ids instead of indexes where a list item has one), ``value``, ``line`` (1-based),
    ``kind`` (the key, e.g. ``feedback``), and the value's place in the text (``start``, ``end``
    character offsets, ``style``: PyYAML's scalar style)."""

    path: tuple
    ctx: str
    value: str
    line: int
    kind: str
    start: int
    end: int
    style: str | None


def fields(text: str) -> list[Field]:
    """Every translatable field of a quiz or scenario file, in file order.  Raises
    ``yaml.YAMLError`` when the text is not YAML (``course check`` reports it at its line)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: list[Field] = []
    if root is not None:
        _walk(root, (), (), out, None)
    out.sort(key=lambda f: f.start)
    return out


def _scalar(node, path, ctx, key, out) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value:
        out.append(
            Field(
                path,
                "/".join(str(c) for c in ctx),
                node.value,
                node.start_mark.line + 1,
                key,
                node.start_mark.index,
                node.end_mark.index,
                node.style,
            )
        )


def _walk(node, path: tuple, ctx: tuple, out: list[Field], key) -> None:
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            k = k_node.value
            if k in TEXT_KEYS:
                _scalar(v_node, path + (k,), ctx + (k,), k, out)
            elif k == ANSWERS_KEY and isinstance(v_node, yaml.SequenceNode) and _all_text(v_node):
                out.append(
                    Field(
                        path + (k,),
                        "/".join(str(c) for c in ctx + (k,)),
                        "\n".join(item.value for item in v_node.value),
                        v_node.start_mark.line + 1,
                        k,
                        v_node.start_mark.index,
                        v_node.end_mark.index,
                        "list",
                    )
                )
            elif k in LIST_KEYS and isinstance(v_node, yaml.SequenceNode):
                for i, item in enumerate(v_node.value):
                    _scalar(item, path + (k, i), ctx + (k, i), k, out)
            else:
                _walk(v_node, path + (k,), ctx + (k,), out, k)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            name = i
            if isinstance(item, yaml.MappingNode):
                for k_node, v_node in item.value:
                    if k_node.value == "id" and isinstance(v_node, yaml.ScalarNode) and v_node.value:
                        name = v_node.value
            _walk(item, path + (i,), ctx + (name,), out, key)


def _all_text(node) -> bool:
    return bool(node.value) and all(
        isinstance(i, yaml.ScalarNode)
        and i.tag == "tag:yaml.org,2002:str"
        and i.value
        and "\n" not in i.value
        for i in node.value
    )


def answers(value: str) -> list[str]:
    """The accepted answers of an ``accept`` entry: one a line, blank lines left out."""
    return [line.strip() for line in value.split("\n") if line.strip()]


def note(kind: str) -> str:
    return NOTES.get(kind, "")


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _block(value: str, text: str, f: Field) -> str | None:
    """The new value in the block style the field had (``>-`` folded, ``|`` literal), or None
    when it needs quoting."""
    if not value or value[0] in " \t\n" or value.rstrip(" \t") != value.rstrip(" \t\n") and "\n" in value:
        return None
    # indentation of the original block's first content line
    body_start = text.find("\n", f.start) + 1
    line_end = text.find("\n", body_start)
    content = text[body_start : line_end if line_end >= 0 else len(text)]
    indent = content[: len(content) - len(content.lstrip(" "))] or "  "
    original = text[f.start : f.end]
    tail = original[len(original.rstrip()) :]
    if "\n" not in tail:
        tail = "\n" + tail.lstrip(" ")
    if "\n" in value:
        lines = value.rstrip("\n").split("\n")
        head = "|-" if not value.endswith("\n") else "|"
        if value.endswith("\n\n"):
            return None
        body = "\n".join(indent + ln if ln else "" for ln in lines)
    else:
        if "  " in value:
            return None
        head = ">-"
        wrapped = textwrap.wrap(value, 76 - len(indent), break_long_words=False, break_on_hyphens=False)
        body = "\n".join(indent + ln for ln in wrapped)
    return f"{head}\n{body}{tail}"


def rewrite(text: str, new: dict[tuple, str]) -> str:
    """``text`` with the value at each path in ``new`` replaced (paths as ``Field.path``); values
    equal to the present one keep their bytes.  The result is checked by loading it again; a field
    whose block form would not read back as the value is written double-quoted."""
    found = fields(text)
    changes = [
        (f, "\n".join(answers(new[f.path])) if f.style == "list" else new[f.path])
        for f in found
        if f.path in new and new[f.path] != f.value and (f.style != "list" or answers(new[f.path]))
    ]
    changes = [(f, value) for f, value in changes if value != f.value]
    for quote_all in (False, True):
        out, pos = [], 0
        for f, value in changes:
            piece = None
            if f.style == "list":
                original = text[f.start : f.end]
                tail = original[len(original.rstrip()) :]
                flow = original.lstrip().startswith("[")
                piece = "[" + ", ".join(_quoted(a) for a in value.split("\n")) + "]"
                piece += "" if flow else (tail if "\n" in tail else "\n")
            elif f.style in (">", "|") and not quote_all:
                piece = _block(value, text, f)
            if piece is None:
                piece = _quoted(value)
                if f.style in (">", "|"):
                    original = text[f.start : f.end]
                    tail = original[len(original.rstrip()) :]
                    piece += tail if "\n" in tail else "\n"
            out.append(text[pos : f.start])
            out.append(piece)
            pos = f.end
        out.append(text[pos:])
        result = "".join(out)
        check = {f.path: f.value for f in fields(result)}
        if all(check.get(f.path) == value for f, value in changes):
            return result
    raise ValueError("could not write the translated values back")  # pragma: no cover
