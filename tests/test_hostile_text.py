"""Issue #20, the output side: nothing a name, a note or a model name holds drives a terminal,
a spreadsheet, a Markdown or HTML viewer or a calendar, nor crashes an output.

Hostile text (terminal escapes, OSC 52/8/0, C0 and C1 codes, bidi overrides, Rich markup,
HTML, Markdown links and images, spreadsheet formulas, line breaks, long strings) goes into
every text field of a project (tests/hostile.py) and comes out of every way out: the CLI's
tables and messages, `--json`, the CSV, Markdown, HTML and JSON reports and the calendar.
The TUI's screens are in test_hostile_tui.py.
"""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from planner_tui.cli import main
from planner_tui.domain.inert import is_inert, lines, one_line, same_length, same_length_lines

from .hostile import (
    EVERYTHING,
    FORMULAS,
    TODAY,
    assert_inert,
    base_project,
    hostile_project,
    hostile_text,
    long_text,
    starts_formula,
    sync_hostile_listing,
)

# Deterministic (CI), modest, and no shrinking: a failing example is reported as it was
# found, at once, rather than after minutes of re-running every output.
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True, database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "base.db"
    base_project(path)
    return path


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=hostile_text(8))
def test_inert_text_is_inert_and_keeps_what_it_can(text: str) -> None:
    from rich.text import Text

    from planner_tui.ui.formatting import inert_text

    assert is_inert(one_line(text)) and is_inert(same_length(text))
    assert is_inert(lines(text), newlines=True) and is_inert(same_length_lines(text), newlines=True)
    assert len(same_length(text)) == len(same_length_lines(text)) == len(text)  # styles stay in place
    assert lines(text).count("\n") >= text.count("\n")
    styled = Text.assemble(("name: ", "bold"), (text, "red"), " end")
    shown = inert_text(styled, one_line=True)
    assert is_inert(shown.plain) and shown.plain.endswith(" end")
    assert [(s.start, s.end, str(s.style)) for s in shown.spans] == [
        (s.start, s.end, str(s.style)) for s in styled.spans]
    printable = "".join(c for c in text if c.isprintable() and c not in "\u2028\u2029")
    assert printable == one_line(printable)  # nothing else is touched


def run(capsys: pytest.CaptureFixture, db: Path, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(db), "--today", TODAY.isoformat()])
    out, err = capsys.readouterr()
    return code, out, err


TERMINAL_COMMANDS = [
    ("status",), ("apps", "list"), ("milestones",), ("history",), ("history", "--limit", "500"),
    ("discovered", "--all"), ("plans", "list", "--all"), ("plans", "show", "1"), ("items", "list", "1"),
    ("models", "--status", "Legacy"),
]
MESSAGE_COMMANDS = [
    ("items", "undone", "1", "1"), ("items", "done", "1", "1"), ("items", "move", "1", "1", "--down"),
    ("plans", "cancel", "1", "--reason", "r"), ("plans", "reopen", "1"),
]
JSON_COMMANDS = [("status", "--json"), ("apps", "list", "--json"), ("milestones", "--json"),
                 ("history", "--json"), ("discovered", "--all", "--json"), ("plans", "show", "1", "--json"),
                 ("items", "list", "1", "--json")]


def check_terminal(capsys: pytest.CaptureFixture, db: Path) -> None:
    for args in TERMINAL_COMMANDS + MESSAGE_COMMANDS:
        code, out, err = run(capsys, db, *args)
        assert code in (0, 1), (args, err)
        assert "Traceback" not in err
        assert_inert(out, " ".join(args))
        assert_inert(err, " ".join(args) + " (stderr)")
    for args in JSON_COMMANDS:
        code, out, err = run(capsys, db, *args)
        assert code in (0, 1), (args, err)
        assert_inert(out, " ".join(args))
        json.loads(out)


def check_files(capsys: pytest.CaptureFixture, db: Path, folder: Path, text: str) -> None:
    for fmt in ("csv", "md", "html", "json"):
        path = folder / f"report.{fmt}"
        code, _, err = run(capsys, db, "report", "--format", fmt, "--output", str(path))
        assert code == 0, err
        content = path.read_bytes().decode("utf-8")
        assert_inert(content, fmt, newline="\r\n" if fmt == "csv" else "\n")
        {"csv": check_csv, "md": check_markdown, "html": check_html, "json": json.loads}[fmt](content)
    ics = folder / "calendar.ics"
    code, _, err = run(capsys, db, "export", "ics", "--output", str(ics))
    assert code == 0, err
    check_ics(ics.read_bytes())


# -- CSV -----------------------------------------------------------------------------------


def check_csv(content: str) -> None:
    rows = list(csv.reader(io.StringIO(content, newline="")))
    assert len(rows) == 2, rows  # the header and the one plan: no row split by a line break
    assert len(rows[1]) == len(rows[0])
    for cell in rows[1]:
        assert not starts_formula(cell), cell
    raw = content.split("\r\n")[1]
    for cell in rows[1]:
        if cell.startswith("'"):  # neutralised: quoted, so no spreadsheet splits or reads it
            assert '"' + cell.replace('"', '""') + '"' in raw


def test_csv_cells_never_start_a_formula(tmp_path: Path, base: Path, capsys) -> None:
    for formula in FORMULAS + ["@x", "-2+3", "=cmd|' /C calc'!A0"]:
        db = tmp_path / "p.db"
        hostile_project(base, db, formula)
        out = tmp_path / "r.csv"
        assert run(capsys, db, "report", "--format", "csv", "--output", str(out))[0] == 0
        content = out.read_bytes().decode("utf-8")
        check_csv(content)
        row = next(r for r in csv.DictReader(io.StringIO(content, newline="")))
        assert row["application"].startswith("'")  # (the name as stored: leading blanks go)
        assert row["owner"] == row["decision_reason"] == "'" + one_line(formula)


# -- Markdown ------------------------------------------------------------------------------


def _markdown():  # noqa: ANN202
    from markdown_it import MarkdownIt

    md = MarkdownIt("gfm-like")  # tables, strikethrough, autolinks of URLs, www. and e-mail
    md.linkify.set({"fuzzy_link": False})  # as GitHub: bare 'evil.com' is no link there
    return md


def _inline_text(token) -> str:  # noqa: ANN001
    return "".join(child.content for child in token.children or [] if child.type in ("text", "text_special"))


def check_markdown(content: str, name: str | None = None) -> None:
    tokens = _markdown().parse(content)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in t.children or []}
    for forbidden in ("html_block", "html_inline", "link_open", "image", "code_inline"):
        assert forbidden not in kinds, forbidden
    html = _markdown().render(content)
    for tag in ("<a ", "<img", "<script", "<svg", "<code"):
        assert tag not in html, tag
    # The plans table: one row for the one plan, its first cell the name as typed (inert).
    heads = [i for i, t in enumerate(tokens) if t.type == "inline" and t.content == "Application"]
    assert heads, "no plans table"
    body = tokens[heads[0]:]
    rows = [t for t in body[: next(i for i, t in enumerate(body) if t.type == "table_close")]
            if t.type == "tr_open"]
    assert len(rows) == 1  # the plan's (the header's row is before its first cell)
    if name is not None:
        cells = [t for t in body if t.type == "inline"]
        assert _inline_text(cells[7]).strip() == one_line(name).strip()


def test_markdown_has_no_html_links_or_images(tmp_path: Path, base: Path, capsys) -> None:
    for name in ["<img src=x onerror=alert(1)>", "![t](http://evil.example/t.png)", "[x](javascript:alert(1))",
                 "a|b\r\nc", "http://evil.example/x www.evil.example a@evil.example", "`x` **y** _z_ \\|",
                 EVERYTHING]:
        db = tmp_path / "p.db"
        hostile_project(base, db, name)
        out = tmp_path / "r.md"
        assert run(capsys, db, "report", "--format", "md", "--output", str(out))[0] == 0
        content = out.read_bytes().decode("utf-8")
        assert_inert(content, "md")
        check_markdown(content, name)


# -- HTML ----------------------------------------------------------------------------------

OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "div", "b", "span", "table",
            "tr", "th", "td", "br", "section", "details", "summary", "ul", "li", "svg", "line", "text", "rect",
            "path"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, attrs))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def check_html(content: str) -> None:
    parser = _Tags()
    parser.feed(content)
    for tag, attrs in parser.tags:
        assert tag in OUR_TAGS, tag
        for name, _ in attrs:
            assert not name.startswith("on"), (tag, name)
    assert not parser.comments


# -- iCalendar -----------------------------------------------------------------------------


def check_ics(data: bytes) -> None:
    from icalendar import Calendar

    text = data.decode("utf-8")
    assert_inert(text, "ics", newline="\r\n")
    assert text.endswith("\r\n")
    calendar = Calendar.from_ical(data)
    for event in calendar.walk("VEVENT"):
        for key in ("SUMMARY", "DESCRIPTION"):
            assert_inert(str(event.get(key, "")), f"ics {key}", newline="\n")


# -- every way in, every way out -----------------------------------------------------------


@SETTINGS
@given(text=hostile_text())
def test_hostile_text_stays_inert_in_every_output(text: str, base: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    hostile_project(base, db, text)
    check_terminal(capsys, db)
    check_files(capsys, db, tmp_path, text)


@settings(SETTINGS, max_examples=3)
@given(text=long_text())
def test_long_hostile_text(text: str, base: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    hostile_project(base, db, text)
    check_terminal(capsys, db)
    check_files(capsys, db, tmp_path, text)


def test_every_fragment_at_once(base: Path, tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    hostile_project(base, db, EVERYTHING)
    check_terminal(capsys, db)
    check_files(capsys, db, tmp_path, EVERYTHING)
    code, out, _ = run(capsys, db, "apps", "list")
    assert "[@click=app.quit]quit[/]" in out and "<img src=x onerror=alert(1)>" in out  # shown, as data


# -- messages that quote names -------------------------------------------------------------


def test_messages_quoting_names_are_inert(tmp_path: Path, capsys) -> None:
    db = tmp_path / "p.db"
    name = "Evil\x1b]52;c;SGVsbG8=\x07\u202eX"
    code, out, err = run(capsys, db, "apps", "add", name, "--owner", "o\x1b[2J",
                         "--uses", "anthropic.claude-opus-4-1-20250805-v1:0@us-east-1")
    if code == 0:  # (input checks may refuse it now: then nothing is stored to print)
        assert_inert(out, "apps add")
        assert "Evil\ufffd]52;c;SGVsbG8=\ufffd\ufffdX" in out
        for args in (("apps", "edit", name, "--team", "t\x9b2J"), ("apps", "list"),
                     ("plans", "advance", "1", "--reason", "\x1b]8;;x\x1b\\"), ("apps", "remove", name)):
            code, out, err = run(capsys, db, *args)
            assert code == 0, err
            assert_inert(out + err, " ".join(args))
    assert_inert(err, "apps add (stderr)")


def test_bidi_overrides_are_shown_not_obeyed(tmp_path: Path, base: Path, capsys) -> None:
    db = tmp_path / "p.db"
    hostile_project(base, db, "invoice\u202etxt.exe\u2066x\u2069")
    for args in TERMINAL_COMMANDS:
        _, out, _ = run(capsys, db, *args)
        assert "\u202e" not in out and "\u2066" not in out, args
    _, out, _ = run(capsys, db, "apps", "list")
    assert "invoice\ufffdtxt.exe\ufffdx\ufffd" in out


# -- from AWS ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [EVERYTHING, "\x1b]52;c;SGVsbG8=\x07[/]\u202e<img src=x onerror=alert(1)>"],
                         ids=["every-fragment", "osc52-markup-bidi-html"])
def test_names_from_aws_stay_inert(text: str, base: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    """Model and provider names, a model ID and a resource name as a Bedrock listing gives them."""
    import shutil

    db = tmp_path / "p.db"
    shutil.copy(base, db)
    code, _ = sync_hostile_listing(db, monkeypatch, text)
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert_inert(out, "sync")
    assert_inert(err, "sync (stderr)")
    for args in (("models",), ("models", "--json"), ("discovered", "--all")):
        code, out, err = run(capsys, db, *args)
        assert code == 0, err
        assert_inert(out + err, " ".join(args))
        if args == ("models", "--json"):
            names = {m["name"] for m in json.loads(out)}
            assert text in names  # the names did arrive, as AWS gave them
    check_terminal(capsys, db)
    check_files(capsys, db, tmp_path, text)
