"""Reliability: crashes, two instances, bad files, fuzzed input, no tracebacks."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner_tui.cli import main
from planner_tui.domain.dates import parse_date
from planner_tui.domain.models import Application, Dependency, Phase
from planner_tui.domain.validation import check_region
from planner_tui.domain.workspace import PHASE_FIELDS, check_field
from planner_tui.errors import ConflictError, PlannerError, ProjectFileError, UserInputError
from planner_tui.integrations.csv_import import parse_csv
from planner_tui.integrations.project_file import check_document, read_document
from planner_tui.persistence.store import ProjectStore
from planner_tui.services.project import open_project

from .conftest import TODAY

OPUS_41 = "anthropic.claude-opus-4-1-20250805-v1:0"
FIXTURE = Path(__file__).parent / "fixtures" / "project-schema-0007.db"
KILLS = 50


def _editor(path: str, seed: int, acks) -> None:  # noqa: ANN001 - runs in a forked child
    """Edit as fast as possible; report each edit only after it was committed."""
    rng = random.Random(seed)
    store = ProjectStore.open(Path(path))
    plan = store.plans()[0]
    for n in range(100_000):
        kind = rng.choice(("app", "item", "field"))
        if kind == "app":
            store.add_application(Application(name=f"s{seed}-app-{n}"), today=TODAY)
        elif kind == "item":
            store.add_item(plan.id, Phase.TEST, f"s{seed}-item-{n}")
        else:
            store.set_plan_fields(plan.id, {f"s{seed}-field-{n}": str(n)})
        acks.put((kind, n))


def test_sigkill_at_random_moments_loses_no_acknowledged_edit(db_path: Path) -> None:
    store = open_project(db_path)
    store.add_application(Application(name="Base"), [Dependency(app_id=0, model_id=OPUS_41,
                                                                 region="us-east-1")], today=TODAY)
    store.close()
    context = multiprocessing.get_context("fork")
    rng = random.Random(2026)
    survived = 0
    for seed in range(KILLS):
        acks = context.SimpleQueue()
        child = context.Process(target=_editor, args=(str(db_path), seed, acks))
        child.start()
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        acknowledged = []
        while not acks.empty():
            acknowledged.append(acks.get())
        store = open_project(db_path)
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        apps = {a.name for a in store.applications()}
        plan = store.plans()[0]
        titles = {i.title for i in plan.items}
        fields = store.plan_fields(plan.id)
        for kind, n in acknowledged:
            if kind == "app":
                assert f"s{seed}-app-{n}" in apps
            elif kind == "item":
                assert f"s{seed}-item-{n}" in titles
            else:
                assert fields[f"s{seed}-field-{n}"] == str(n)
        store.close()
        survived += 1
    assert survived == KILLS


def test_two_instances_never_silently_lose_an_edit(db_path: Path) -> None:
    first = open_project(db_path)
    first.add_application(Application(name="Shared"), [Dependency(app_id=0, model_id=OPUS_41,
                                                                   region="us-east-1")], today=TODAY)
    second = ProjectStore.open(db_path)
    item_seen_by_first = first.plans()[0].items[0]
    item_seen_by_second = second.plans()[0].items[0]
    second.update_item(item_seen_by_second.model_copy(update={"owner": "bea"}))
    with pytest.raises(ConflictError, match="changed elsewhere by .* since you opened it"):
        first.update_item(item_seen_by_first.model_copy(update={"owner": "al"}))
    assert first.item(item_seen_by_first.id).owner == "bea"
    # Toggling reads the latest version first, so it simply works.
    assert first.toggle_item(item_seen_by_first.id).done

    app_first, app_second = first.application("Shared"), second.application("Shared")
    second.update_application(app_second.model_copy(update={"owner": "bea"}))
    with pytest.raises(ConflictError):
        first.update_application(app_first.model_copy(update={"team": "x"}))
    assert first.application("Shared").owner == "bea"
    first.close()
    second.close()


def _busy_editor(path: str, who: str, count: int, errors) -> None:  # noqa: ANN001
    store = ProjectStore.open(Path(path))
    plan = store.plans()[0]
    for n in range(count):
        try:
            store.add_item(plan.id, Phase.UPDATE, f"{who}-{n}")
            store.toggle_item(plan.items[0].id)
        except PlannerError as error:
            errors.put(str(error))


def test_two_processes_editing_at_once_both_keep_working(db_path: Path) -> None:
    store = open_project(db_path)
    store.add_application(Application(name="Busy"), [Dependency(app_id=0, model_id=OPUS_41,
                                                                 region="us-east-1")], today=TODAY)
    store.close()
    context = multiprocessing.get_context("fork")
    errors = context.SimpleQueue()
    workers = [context.Process(target=_busy_editor, args=(str(db_path), who, 150, errors))
               for who in ("tui", "cli")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    messages = []
    while not errors.empty():
        messages.append(errors.get())
    assert not [m for m in messages if "locked" in m or "busy" in m]
    store = open_project(db_path)
    titles = {i.title for i in store.plans()[0].items}
    assert {f"{who}-{n}" for who in ("tui", "cli") for n in range(150)} <= titles
    store.close()


def test_a_project_from_an_older_release_opens_with_its_data(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURE, copy)
    store = open_project(copy)
    assert len(store.applications()) == 10
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    legal = next(p for p in store.plans() if p.app_name == "Legal Summaries")
    assert legal.current_phase is Phase.ROLLOUT and len(store.rollout_decisions(legal.id)) == 3
    assert store.audit_trail(limit=1)
    store.close()


@pytest.mark.parametrize("damage", ["truncate", "random", "zero-middle"])
def test_damaged_files_give_one_clear_message(tmp_path: Path, damage: str, capsys) -> None:
    path = tmp_path / "damaged.db"
    shutil.copy(FIXTURE, path)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "random":
        path.write_bytes(random.Random(1).randbytes(len(data)))
    else:
        path.write_bytes(data[:4096] + b"\0" * 8192 + data[4096 + 8192:])
    before = path.read_bytes()
    code = main(["status", "--db", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert path.read_bytes() == before


def _mount_tmpfs(where: Path, options: str = "") -> bool:
    where.mkdir()
    args = ["mount", "-t", "tmpfs"] + (["-o", options] if options else []) + ["tmpfs", str(where)]
    return subprocess.run(args, capture_output=True).returncode == 0


def test_read_only_folder_without_read_only_flag(tmp_path: Path, capsys) -> None:
    media = tmp_path / "media"
    if not _mount_tmpfs(media):
        pytest.skip("this machine cannot mount a file system")
    try:
        shutil.copy(FIXTURE, media / "p.db")
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        code = main(["apps", "add", "X", "--owner", "o", "--db", str(media / "p.db")])
        _, err = capsys.readouterr()
        assert code == 2 and "read-only" in err and len(err.strip().splitlines()) == 1
    finally:
        subprocess.run(["umount", str(media)], check=False)


def test_a_full_disk_refuses_the_edit_and_keeps_the_project(tmp_path: Path) -> None:
    media = tmp_path / "small"
    if not _mount_tmpfs(media, "size=1200k"):
        pytest.skip("this machine cannot mount a file system")
    try:
        store = open_project(media / "p.db")
        store.add_application(Application(name="Kept"), today=TODAY)
        with open(media / "filler", "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
            except OSError:
                pass
        with pytest.raises(ProjectFileError, match="disk is full"):
            for n in range(2000):
                store.add_application(Application(name=f"more-{n}", notes="x" * 4000), today=TODAY)
        (media / "filler").unlink()
        assert "Kept" in {a.name for a in store.applications()}
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        store.close()
    finally:
        subprocess.run(["umount", str(media)], check=False)


# -- fuzzing --------------------------------------------------------------------------------

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                      max_size=4),
    max_leaves=20,
)
DOC_KEYS = ["name", "owner", "dependencies", "plans", "model_id", "region", "items", "phase", "title",
            "started_on", "applications", "schema_version", "format"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(DOC_KEYS), JSONISH, max_size=6),
       apps=st.lists(st.dictionaries(st.sampled_from(DOC_KEYS), JSONISH, max_size=5), max_size=3))
def test_fuzzed_project_documents_only_ever_fail_cleanly(store, tmp_path_factory, body, apps) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "doc.json"
    document = {"format": "planner-tui-project", "schema_version": 1, **body, "applications": apps}
    path.write_text(json.dumps(document))
    try:
        check_document(store, read_document(path))
    except UserInputError:
        pass


CSV_CELLS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CSV_CELLS, min_size=0, max_size=6), max_size=5),
       header=st.permutations(["name", "owner", "model_id", "region", "monthly_volume", "criticality"]))
def test_fuzzed_csv_only_ever_fails_cleanly(store, tmp_path_factory, rows, header) -> None:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("csv") / "apps.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    try:
        parse_csv(store, path)
    except UserInputError:
        pass


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_form_validators_accept_or_explain(text: str) -> None:
    for validator in (parse_date,):
        try:
            validator(text)
        except ValueError as error:
            assert str(error)
    try:
        check_region(text)
    except UserInputError as error:
        assert "Region" in str(error)
    for specs in PHASE_FIELDS.values():
        for spec in specs:
            try:
                check_field(spec, text, {OPUS_41})
            except (ValueError, UserInputError) as error:
                assert str(error)


@pytest.mark.parametrize("argv", [
    ["models", "--status", "Retired"],
    ["milestones", "--within", "-3"],
    ["status", "--today", "tomorrow"],
    ["apps", "add", "X", "--owner", "o", "--uses", "@"],
    ["apps", "add", "X", "--owner", "o", "--criticality", "huge"],
    ["export", "ics", "-o", "/nonexistent/dir/x.ics"],
    ["export", "ics", "-o", "x.ics", "--model", "nope"],
    ["import", "json", "/nonexistent.json"],
    ["apps", "import", "/nonexistent.csv"],
    ["report", "--format", "pdf", "-o", "x"],
    ["report", "--format", "html", "-o", "/nonexistent/r.html"],
    ["sync", "--regions", "mars-1"],
    ["sync", "--regions", "us-east-1", "--all-regions"],
    ["discovered", "accept", "999", "--app", "nobody"],
    ["history", "--app", "nobody"],
    ["backup", "-o", "/nonexistent/b.db"],
])
def test_no_user_error_prints_a_traceback(capsys, db_path: Path, argv: list[str]) -> None:
    try:
        code = main([*argv, "--db", str(db_path)])
    except SystemExit as exited:  # argparse's own usage errors
        code = exited.code
    _, err = capsys.readouterr()
    assert code == 2, err
    assert "Traceback" not in err
    assert err.strip()
