"""`make bench` part for issue 15: `course report` on 100,000 generated xAPI statements.

python -m tests.bench.report        # prints statements, seconds (wall and CPU) and the rate
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from builder.records.report import make_report
from tests.helpers import make_project
from tests.records_data import make_statements
from tests.test_xapi import MKDOCS, PAGES


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        root = Path(tmp)
        project = make_project(root / "p", PAGES, fixture="basic", mkdocs_yml=MKDOCS)
        statements = make_statements(8200)
        src = root / "statements.json"
        src.write_text(json.dumps(statements))
        wall, cpu = time.perf_counter(), time.process_time()
        assert make_report(project, str(src), None, root / "report.html") == 0
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = (root / "report.html").stat().st_size
        print(
            f"course report: {len(statements):,} statements ({src.stat().st_size / 1e6:.0f} MB) "
            f"in {wall:.2f} s wall, {cpu:.2f} s CPU ({len(statements) / cpu:,.0f} statements/s); "
            f"report {size / 1024:.0f} KB"
        )


if __name__ == "__main__":
    main()
