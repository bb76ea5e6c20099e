"""Finding rows spooled to disk (a large audit) give the same reports as rows in a list."""

from __future__ import annotations

import json
import re

from dalsnet_audit.report.rows import FindingRows, json_chunks
from tests.nights import SNAPSHOT

FORMATS = ("json", "csv", "junit", "md", "html")


def _without_run(text: str, run_id: str) -> str:
    text = text.replace(run_id, "RUN")
    return re.sub(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(\+00:00| UTC|Z)", "TIME", text)


def test_spooled_rows_give_the_same_reports_as_a_list(tmp_path):
    """Two nights with a history (first seen carried, since-last), rows spooled or in a list."""
    from dalsnet_audit.audit import AuditOptions, run_audit  # noqa: PLC0415
    from tests.nights import ROOT, night_with_telnet  # noqa: PLC0415

    night = night_with_telnet(tmp_path / "night2")
    texts = {}
    for spool in (False, True):
        for n, snapshot in enumerate((SNAPSHOT, night)):
            outcome = run_audit(
                AuditOptions(
                    inventory=ROOT / "inventory",
                    policies=ROOT / "policies",
                    offline=snapshot,
                    out=tmp_path / f"{spool}{n}",
                    formats=FORMATS,
                    history=str(tmp_path / f"history-{spool}.sqlite"),
                    spool_rows=spool,
                )
            )
        assert isinstance(outcome.report["findings"], FindingRows) is spool
        first = {f["first_seen"]["run"] for f in outcome.report["findings"]}
        assert len(first) == 2  # most carried from the first night, the telnet ones new
        runs = (outcome.report["run"]["id"], outcome.report["since_last"]["run_a"])
        texts[spool] = {
            name: _without_run(_without_run(path.read_text(encoding="utf-8"), runs[0]), runs[1])
            for name, path in outcome.files.items()
        }
    for fmt in FORMATS:
        assert texts[True][fmt] == texts[False][fmt], fmt


def test_json_chunks_write_what_json_dumps_writes(tmp_path):
    rows = FindingRows(tmp_path)
    rows.add(1, [{"rule": "B", "n": [1, 2]}, None])
    rows.add(0, [{"rule": "A", "ä": "å"}])
    rows.finish([{"rule": "held"}], [{"rule": "network"}])
    assert [r["rule"] for r in rows] == ["A", "B", "held", "network"]
    report = {"run": {"id": "r"}, "findings": rows, "empty": {}, "list": []}
    plain = {**report, "findings": list(rows)}
    assert "".join(json_chunks(report)) == json.dumps(plain, indent=2, ensure_ascii=False)
    rows.update(lambda row: row.update(seen=True))
    assert [(r["rule"], r["seen"]) for r in rows] == [
        ("A", True), ("B", True), ("held", True), ("network", True)
    ]  # fmt: skip
    assert len(rows) == 4 and "".join(json_chunks({"findings": FindingRows(tmp_path)})) == (
        '{\n  "findings": []\n}'
    )
