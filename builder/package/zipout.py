"""Deterministic package zips: the same site gives the same bytes (byte-identical rebuilds).

One writer for every package kind (SCORM 1.2 and 2004, cmi5): the manifest the LMS reads first,
then every file sorted, with a fixed date and fixed file modes, written to a ``.part`` file and
renamed into place, so a failed write never leaves half a package under the real name.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def write_zip(site: Path, out: Path, first: str) -> int:
    """Zip every file under ``site`` into ``out`` with ``first`` (e.g. imsmanifest.xml) as the first
    entry; returns the number of files.  Raises ``OSError`` when ``out`` cannot be written and
    ``ValueError`` when ``first`` is not in ``site``."""
    names = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    names.remove(first)
    names.insert(0, first)
    tmp = out.with_name(out.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            zf.writestr(info, (site / name).read_bytes(), compresslevel=9)
    tmp.replace(out)
    return len(names)
