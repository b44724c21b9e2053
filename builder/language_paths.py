"""Where a course keeps its translations, from file paths alone (no imports of the course model, so the
loader and checks can use it without an import cycle).

- Quiz translations: ``quizzes/<lang>/<id>.yml`` (issue 14).
- Page translations: ``page.<lang>.md``, mkdocs-static-i18n's suffix layout.
"""

from __future__ import annotations

import re
from pathlib import Path

LANG_FOLDER_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z]{2,4})?$")


def is_language_folder(path: Path, quizzes_dir: Path) -> bool:
    """Whether ``path`` (a file under ``quizzes_dir``) lies in a translation folder
    ``quizzes/<lang>/``: a folder right under it named like a language code (es, fr, pt-BR)."""
    try:
        parts = path.relative_to(quizzes_dir).parts
    except ValueError:
        return False
    return len(parts) > 1 and bool(LANG_FOLDER_RE.match(parts[0]))


def source_of(src_uri: str) -> str:
    """``modules/x.md`` for a translated page ``modules/x.es.md`` (mkdocs-static-i18n's suffix layout)."""
    parts = src_uri.rsplit(".", 2)
    if len(parts) == 3 and LANG_FOLDER_RE.match(parts[1]):
        return f"{parts[0]}.{parts[2]}"
    return src_uri
