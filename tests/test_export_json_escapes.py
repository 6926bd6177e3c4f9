"""`export json` keeps hostile text exactly, and writes nothing a viewer of the file acts on."""

from __future__ import annotations

import json
from pathlib import Path

from planner_tui.integrations.project_file import render_document

HOSTILE = "a\x9b2J b\u202egnp.exe c\x7f d\u2028e Zürich 東京"


def test_export_json_escapes_c1_bidi_and_separators_losslessly(demo_store, tmp_path: Path) -> None:
    demo_store.conn.execute("UPDATE applications SET notes = ? WHERE id = (SELECT min(id) FROM applications)",
                            [HOSTILE])
    demo_store.conn.commit()
    data = render_document(demo_store)
    text = data.decode("utf-8")
    for char in "\x9b\u202e\x7f\u2028":
        assert char not in text
    assert "Zürich 東京" in text  # letters stay readable
    notes = [a["notes"] for a in json.loads(text)["applications"]]
    assert HOSTILE in notes  # the same data
