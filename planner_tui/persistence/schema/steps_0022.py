"""Migration 0022: what the dashboard counts, kept counted as rows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .registry import migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

# A lifecycle row's dates as a key: '' where there is no date (NULLs never collide in a key),
# and '' for every column of a (model, Region) without a lifecycle row (still Active).
_DATES = ("declared_status", "legacy_date", "pea_date", "eol_date")
_USES_KEY = ", ".join(_DATES)
_GROUP = ("model_id", "declared_status", "legacy_date", "pea_date", "eol_date", "policy", "source")
_GROUP_KEY = ", ".join(_GROUP)


def _lifecycle_key(row: str) -> str:
    """The dates key of the lifecycle row (if any) of dependency `row` (OLD or NEW)."""
    return (f"SELECT {', '.join(f'coalesce(l.{c}, {chr(39) * 2})' for c in _DATES)} FROM (SELECT 1) "
            f"LEFT JOIN lifecycle l ON l.model_id = {row}.model_id AND l.region = {row}.region")


def _add_uses(key_select: str, uses: str) -> str:
    """Add `uses` to the count of the key `key_select` gives (one row of the four columns)."""
    return (f"INSERT INTO dependency_uses ({_USES_KEY}, uses) SELECT *, {uses} FROM ({key_select}) WHERE true "
            f"ON CONFLICT ({_USES_KEY}) DO UPDATE SET uses = uses + excluded.uses;")


def _own_key(row: str) -> str:
    """The dates key of lifecycle row `row` itself."""
    return "SELECT " + ", ".join(f"coalesce({row}.{c}, '')" for c in _DATES)


_NONE = "SELECT '', '', '', ''"


def _deps_of(row: str) -> str:
    return f"(SELECT count(*) FROM dependencies WHERE model_id = {row}.model_id AND region = {row}.region)"


def _group_add(row: str, regions: int) -> str:
    """Add `regions` to the group of lifecycle row `row`; a group left with none goes."""
    key = ", ".join(f"coalesce({row}.{c}, '')" if c.endswith("_date") else f"{row}.{c}" for c in _GROUP)
    return (f"INSERT INTO lifecycle_group_sizes ({_GROUP_KEY}, regions) VALUES ({key}, {regions}) "
            f"ON CONFLICT ({_GROUP_KEY}) DO UPDATE SET regions = regions + excluded.regions;"
            f"DELETE FROM lifecycle_group_sizes WHERE ({_GROUP_KEY}) = ({key}) AND regions <= 0;")


def dependency_insert_trigger() -> str:
    """The SQL of the trigger counting a new dependency (repos/bulk.py knows it by this text)."""
    return (f"CREATE TRIGGER dependency_uses_insert AFTER INSERT ON dependencies BEGIN "
            f"{_add_uses(_lifecycle_key('NEW'), '1')} END")


@migrations(name="0022_dashboard_counts")
def dashboard_counts(db: Database) -> None:
    """What the dashboard counts as the app starts, kept counted by triggers instead of counted
    again over the whole project at each start (at 50,000 applications, 200,000 dependencies
    in 80,000 (model, Region) pairs over 90,000 lifecycle rows: 0.3 s of the first paint).

    `dependency_uses`: how many dependencies sit on each set of lifecycle dates (declared
    status, Legacy, PEA, EOL; '' where there is none, all four '' for a (model, Region)
    without a lifecycle row): a few hundred rows, rated for any day by domain/lifecycle.py's
    `status_from`. Counts left at 0 stay (harmless, and bounded by the date sets).

    `lifecycle_group_sizes`: one row per lifecycle group (the Regions of a model sharing
    dates, policy and source, as `lifecycle_dates` groups them; dates '' where there is
    none) with how many Regions it has, indexed by each date: the soonest milestones and
    how many are upcoming on any day are read from a few index entries.

    Kept by triggers on `dependencies` and `lifecycle` (REPLACE's deletes fire them too: the
    project turns recursive triggers on). A migration that rebuilds either table must create
    these triggers again."""
    db.execute(f"""CREATE TABLE dependency_uses (
                       declared_status TEXT NOT NULL, legacy_date TEXT NOT NULL, pea_date TEXT NOT NULL,
                       eol_date TEXT NOT NULL, uses INTEGER NOT NULL,
                       PRIMARY KEY ({_USES_KEY})) WITHOUT ROWID""")
    db.execute(f"""INSERT INTO dependency_uses ({_USES_KEY}, uses)
                   SELECT {", ".join(f"coalesce(l.{c}, '')" for c in _DATES)}, sum(d.uses)
                   FROM (SELECT model_id, region, count(*) AS uses FROM dependencies GROUP BY model_id, region) d
                   LEFT JOIN lifecycle l ON l.model_id = d.model_id AND l.region = d.region
                   GROUP BY 1, 2, 3, 4""")
    db.execute(f"""CREATE TABLE lifecycle_group_sizes (
                       model_id TEXT NOT NULL, declared_status TEXT NOT NULL, legacy_date TEXT NOT NULL,
                       pea_date TEXT NOT NULL, eol_date TEXT NOT NULL, policy TEXT NOT NULL, source TEXT NOT NULL,
                       regions INTEGER NOT NULL,
                       PRIMARY KEY ({_GROUP_KEY})) WITHOUT ROWID""")
    db.execute(f"""INSERT INTO lifecycle_group_sizes ({_GROUP_KEY}, regions)
                   SELECT model_id, declared_status, coalesce(legacy_date, ''), coalesce(pea_date, ''),
                          coalesce(eol_date, ''), policy, source, count(*)
                   FROM lifecycle GROUP BY {_GROUP_KEY}""")
    for column in ("legacy_date", "pea_date", "eol_date"):
        db.execute(f"CREATE INDEX lifecycle_group_sizes_{column} ON lifecycle_group_sizes({column}) "
                   f"WHERE {column} != ''")

    # A dependency counts on its (model, Region)'s lifecycle row; a lifecycle row added,
    # changed or removed moves its (model, Region)'s dependencies from one key to another.
    remove_dep = f"UPDATE dependency_uses SET uses = uses - 1 WHERE ({_USES_KEY}) = ({_lifecycle_key('OLD')});"
    add_dep = _add_uses(_lifecycle_key("NEW"), "1")
    lifecycle_gone = (f"UPDATE dependency_uses SET uses = uses - {_deps_of('OLD')} "
                      f"WHERE ({_USES_KEY}) = ({_own_key('OLD')});" + _add_uses(_NONE, _deps_of("OLD"))
                      + _group_add("OLD", -1))
    lifecycle_new = (f"UPDATE dependency_uses SET uses = uses - {_deps_of('NEW')} "
                     f"WHERE ({_USES_KEY}) = ({_NONE});" + _add_uses(_own_key("NEW"), _deps_of("NEW"))
                     + _group_add("NEW", 1))
    triggers = {
        "dependency_uses_delete": ("AFTER DELETE ON dependencies", remove_dep),
        "dependency_uses_update": ("AFTER UPDATE OF model_id, region ON dependencies", remove_dep + add_dep),
        "lifecycle_counts_insert": ("AFTER INSERT ON lifecycle", lifecycle_new),
        "lifecycle_counts_delete": ("AFTER DELETE ON lifecycle", lifecycle_gone),
        "lifecycle_counts_update": (f"AFTER UPDATE OF model_id, region, {', '.join(_GROUP[1:])} ON lifecycle",
                                    lifecycle_gone + lifecycle_new),
    }
    db.execute(dependency_insert_trigger())
    for name, (event, body) in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {event} BEGIN {body} END")
