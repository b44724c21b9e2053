"""``course report [--lrs URL | statements.json] -o report.html`` (issue 15): one self-contained HTML
page of item analysis for L&D, with plain inline SVG charts; nothing in it loads from anywhere.

Each quiz, question, option, scenario, node and choice links to its ``file:line`` in the course.
"""

from __future__ import annotations

import html
import os
import sys
import time
from pathlib import Path

from .analysis import CourseFiles, analyse
from .config import DEFAULT_ACTIVITY_BASE, xapi_settings
from .statements import RecordsError, read_file, read_lrs

E = html.escape
CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d1f;margin:0;background:#fafafa}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.3rem;margin-top:2.5rem;border-top:2px solid #3f51b5;padding-top:1rem}
h3{font-size:1.05rem;margin:1.6rem 0 .4rem}
.facts{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0;padding:0;list-style:none}
.facts li{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.4rem .8rem}
.facts b{display:block;font-size:1.3rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}
th,td{border-bottom:1px solid #e3e3e3;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{font-size:.85rem;color:#444}td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
a.src{font:12px ui-monospace,monospace;color:#3f51b5;white-space:nowrap}
.low{color:#b00020;font-weight:600}.muted{color:#666}
svg{display:block;max-width:100%;height:auto}
.bar{fill:#3f51b5}.bar-bad{fill:#c62828}.bar-ok{fill:#2e7d32}.bar-mid{fill:#ef6c00}.axis{stroke:#999}
svg text{font:12px system-ui,sans-serif;fill:#333}
@media (max-width:40rem){main{padding:.8rem}table{display:block;overflow-x:auto}a.src{white-space:normal;word-break:break-all}}
@media print{h2{break-before:page}}
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


class _Links:
    def __init__(self, out_dir: Path, root: Path):
        self.out_dir, self.root = out_dir, root

    def __call__(self, where: tuple[str, int]) -> str:
        path, line = where
        if not path:
            return ""
        try:
            href = os.path.relpath(self.root / path, self.out_dir).replace(os.sep, "/")
        except ValueError:
            href = (self.root / path).as_uri()
        return f'<a class="src" href="{E(href)}" title="open the file">{E(path)}:{line}</a>'


def _hbars(rows: list[tuple[str, float, str, str]], label: str, width: int = 560, label_w: int = 220) -> str:
    """Horizontal bars: (label, value 0..1 of the longest, shown text, css class)."""
    if not rows:
        return ""
    h, top = 22, 4
    bar_w = width - label_w - 110
    parts = [
        f'<svg width="{width}" viewBox="0 0 {width} {top + h * len(rows)}" role="img" aria-label="{E(label)}">'
    ]
    for i, (name, share, shown, cls) in enumerate(rows):
        y = top + i * h
        short = name if len(name) <= 30 else name[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end"><title>{E(name)}</title>{E(short)}</text>'
        )
        w = max(1.0, bar_w * max(0.0, min(1.0, share)))
        parts.append(
            f'<rect class="{cls}" x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{h - 8}" rx="2"/>'
        )
        parts.append(f'<text x="{label_w + w + 5:.1f}" y="{y + 14}">{E(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _histogram(bins: list[int], width: int = 560, height: int = 150) -> str:
    """Score distribution: 10 columns from 0–9% to 90–100% of attempts."""
    top = max(bins) or 1
    n = len(bins)
    left, bottom = 30, 22
    cw = (width - left) / n
    parts = [
        f'<svg width="{width}" viewBox="0 0 {width} {height}" role="img" aria-label="score distribution of attempts">'
    ]
    parts.append(
        f'<line class="axis" x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}"/>'
    )
    for i, c in enumerate(bins):
        hgt = (height - bottom - 16) * c / top
        x = left + i * cw
        parts.append(
            f'<rect class="bar" x="{x + 3:.1f}" y="{height - bottom - hgt:.1f}" width="{cw - 6:.1f}" height="{hgt:.1f}">'
            f"<title>{i * 10}–{i * 10 + 9 if i < n - 1 else 100}%: {c} attempts</title></rect>"
        )
        if c:
            parts.append(
                f'<text x="{x + cw / 2:.1f}" y="{height - bottom - hgt - 3:.1f}" text-anchor="middle">{c}</text>'
            )
        parts.append(f'<text x="{x + cw / 2:.1f}" y="{height - 6}" text-anchor="middle">{i * 10}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(data: dict, title: str, source: str, link: _Links) -> str:
    """The report page (HTML5, UTF-8, no external resources)."""
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Item analysis: {E(title)}</title><style>{CSS}</style></head><body><main>",
        f"<p class=muted>Item analysis from xAPI statements</p><h1>{E(title)}</h1>",
        '<ul class="facts">',
        f"<li><b>{data['learners']}</b>learners</li><li><b>{data['statements']}</b>statements</li>",
        f"<li><b>{len(data['quizzes'])}</b>quizzes</li><li><b>{len(data['scenarios'])}</b>scenarios</li></ul>",
        f"<p class=muted>Source: {E(source)}. {data['ignored']} statements about other courses or in other formats were left out.</p>",
    ]
    hard = sorted(
        ((qu["first_right_rate"], q, qu) for q in data["quizzes"] for qu in q["questions"]
         if qu["first_right_rate"] is not None and qu["first_right_rate"] < 0.5),
        key=lambda t: (t[0], t[1]["id"], t[2]["id"]),
    )  # fmt: skip
    quits = [
        s
        for s in data["scenarios"]
        if s["attempts"] and (s["attempts"] - s["finished"]) / s["attempts"] >= 0.3
    ]
    if hard or quits:
        out.append('<section aria-labelledby="first"><h2 id="first">Look at these first</h2><ul>')
        for rate, q, qu in hard[:10]:
            wrong = f" Most chose: “{E(qu['wrong'][0][0])}”." if qu["wrong"] else ""
            out.append(
                f'<li><a href="#q-{E(q["id"])}-{E(qu["id"])}">{E(qu["prompt"])}</a> ({E(q["title"])}): '
                f"only {_pct(rate)} right at the first try.{wrong}</li>"
            )
        for s in quits:
            out.append(
                f'<li><a href="#scenario-{E(s["id"])}">{E(s["title"])}</a>: {s["attempts"] - s["finished"]} of '
                f"{s['attempts']} play-throughs stopped before an ending.</li>"
            )
        out.append("</ul></section>")
    if not data["quizzes"] and not data["scenarios"]:
        out.append(
            "<p><strong>No statements about this course's quizzes or scenarios were found.</strong></p>"
        )
    for q in data["quizzes"]:
        out.append(f'<section id="quiz-{E(q["id"])}"><h2>Quiz: {E(q["title"])} {link(q["where"])}</h2>')
        out.append(
            '<ul class="facts">'
            f"<li><b>{q['learners']}</b>learners</li><li><b>{q['attempts']}</b>attempts</li>"
            f"<li><b>{_pct(q['pass_rate'])}</b>of learners passed</li>"
            f"<li><b>{_pct(q['attempt_pass_rate'])}</b>of attempts passed</li></ul>"
        )
        if q["attempts"]:
            out.append("<h3>Scores of all attempts</h3>" + _histogram(q["scores"]))
        out.append("<h3>Questions: right at the first try</h3>")
        bars = []
        for n, qu in enumerate(q["questions"], 1):
            r = qu["first_right_rate"]
            cls = (
                "bar-bad"
                if r is not None and r < 0.5
                else "bar-mid"
                if r is not None and r < 0.75
                else "bar-ok"
            )
            bars.append((f"{n}. {qu['prompt']}", r or 0.0, f"{_pct(r)} of {qu['learners']}", cls))
        out.append(_hbars(bars, "share of learners right at the first try, per question (table below)"))
        out.append(
            "<table><thead><tr><th>#</th><th>Question</th><th>Right at first try</th><th>Answers</th>"
            "<th>Most chosen wrong answer</th></tr></thead><tbody>"
        )
        for n, qu in enumerate(q["questions"], 1):
            r = qu["first_right_rate"]
            low = ' class="n low"' if r is not None and r < 0.5 else ' class="n"'
            wrong = qu["wrong"]
            if wrong:
                text, count, where = wrong[0]
                w = f"{E(text)} <span class=muted>({count}×)</span> {link(where)}"
            else:
                w = '<span class="muted">none</span>'
            out.append(
                f'<tr id="q-{E(q["id"])}-{E(qu["id"])}"><td class=n>{n}</td><td>{E(qu["prompt"])} {link(qu["where"])}</td>'
                f"<td{low}>{_pct(r)} <span class=muted>of {qu['learners']}</span></td>"
                f"<td class=n>{qu['answers']}</td><td>{w}</td></tr>"
            )
        out.append("</tbody></table></section>")
    for s in data["scenarios"]:
        out.append(
            f'<section id="scenario-{E(s["id"])}"><h2>Scenario: {E(s["title"])} {link(s["where"])}</h2>'
        )
        out.append(
            '<ul class="facts">'
            f"<li><b>{s['learners']}</b>learners</li><li><b>{s['attempts']}</b>play-throughs</li>"
            f"<li><b>{s['finished']}</b>reached an ending</li>"
            f"<li><b>{s['attempts'] - s['finished']}</b>stopped before an ending</li></ul>"
        )
        cls = {"success": "bar-ok", "partial": "bar-mid", "failure": "bar-bad"}
        if s["endings"]:
            top = max(n for _, _, n, _ in s["endings"])
            out.append("<h3>Endings reached</h3>")
            out.append(
                _hbars(
                    [
                        (f"{node} ({kind or '?'})", n / top, str(n), cls.get(kind, "bar"))
                        for node, kind, n, _ in s["endings"]
                    ],
                    "endings reached (table below)",
                )
            )
            out.append(
                "<table><thead><tr><th>Ending</th><th>Outcome</th><th>Reached</th></tr></thead><tbody>"
            )
            for node, kind, n, where in s["endings"]:
                out.append(f"<tr><td>{E(node)} {link(where)}</td><td>{E(kind)}</td><td class=n>{n}</td></tr>")
            out.append("</tbody></table>")
        if s["stops"]:
            top = max(n for _, n, _ in s["stops"])
            out.append(
                "<h3>Where learners stop (play-throughs without an ending, by the last scene shown)</h3>"
            )
            out.append(
                _hbars(
                    [(node, n / top, str(n), "bar-mid") for node, n, _ in s["stops"]],
                    "where learners stop (table below)",
                )
            )
            out.append("<table><thead><tr><th>Scene</th><th>Stopped there</th></tr></thead><tbody>")
            for node, n, where in s["stops"]:
                out.append(f"<tr><td>{E(node)} {link(where)}</td><td class=n>{n}</td></tr>")
            out.append("</tbody></table>")
        if s["choices"]:
            out.append("<h3>Most and least chosen choices</h3>")
            picks = s["choices"]
            shown = picks if len(picks) <= 10 else picks[:5] + picks[-5:]
            out.append("<table><thead><tr><th>Scene</th><th>Choice</th><th>Chosen</th></tr></thead><tbody>")
            for i, (node, idx, text, n, where) in enumerate(shown):
                if len(picks) > 10 and i == 5:
                    out.append(f"<tr><td colspan=3 class=muted>… {len(picks) - 10} more choices …</td></tr>")
                out.append(
                    f"<tr><td>{E(node)}</td><td>{E(text)} <span class=muted>(#{idx})</span> {link(where)}</td><td class=n>{n}</td></tr>"
                )
            out.append("</tbody></table>")
        rows = [m for m in s["meters"] if m["mean"] is not None]
        if rows:
            out.append("<h3>Meters at the endings (mean, lowest–highest)</h3>")
            bars = []
            for m in rows:
                span = (m["max"] - m["min"]) or 1
                bars.append(
                    (
                        m["label"],
                        (m["mean"] - m["min"]) / span,
                        f"{m['mean']:.1f} of {m['max']} ({m['low']:g}–{m['high']:g})",
                        "bar",
                    )
                )
            out.append(_hbars(bars, "; ".join(f"{b[0]}: {b[2]}" for b in bars)))
        out.append("</section>")
    out.append("</main></body></html>\n")
    return "\n".join(out)


def _settings(root: Path) -> tuple[str, str, str, str]:
    """(course id, activity base, quizzes folder, title) from mkdocs.yml."""
    import yaml

    class _Loose(yaml.SafeLoader):
        pass

    _Loose.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        cfg = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loose) or {}
    except (OSError, yaml.YAMLError):
        cfg = {}
    plugin = {}
    for p in cfg.get("plugins") or []:
        if isinstance(p, dict) and isinstance(p.get("course"), dict):
            plugin = p["course"]
    title = str(cfg.get("site_name") or "Course")
    cid = str(plugin.get("id") or "course")
    try:
        base = (xapi_settings(plugin.get("xapi")) or {}).get("activity_base") or DEFAULT_ACTIVITY_BASE
    except (KeyError, TypeError):
        base = DEFAULT_ACTIVITY_BASE
    return cid, base, str(plugin.get("quizzes_dir") or "quizzes"), title


def make_report(root: Path, source: str | None, lrs: str | None, output: Path) -> int:
    """Read the statements, analyse them against the course in ``root`` and write ``output``."""
    started = time.perf_counter()
    try:
        if lrs:
            statements = read_lrs(lrs, os.environ.get("COURSE_LRS_AUTH"))
            where = lrs
        elif source:
            statements = read_file(Path(source))
            where = source
        else:
            print("course report: give a statements file or --lrs URL", file=sys.stderr)
            return 2
    except RecordsError as exc:
        print(f"course report: {exc}", file=sys.stderr)
        return 1
    cid, base, quizzes, title = _settings(root)
    course = CourseFiles.load(root, cid, base, quizzes)
    data = analyse(statements, course)
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    text = render(data, title, where, _Links(output.parent, root))
    output.write_text(text, encoding="utf-8")
    took = time.perf_counter() - started
    print(
        f"wrote {output.name}: {data['statements']} statements from {data['learners']} learners, "
        f"{len(data['quizzes'])} quizzes, {len(data['scenarios'])} scenarios ({took:.1f} s)",
        file=sys.stderr,
    )
    return 0
