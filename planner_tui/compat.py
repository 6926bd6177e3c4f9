"""Every use of another library's private API, in one place.

Each one buys speed or a setting the library does not expose, and each is pinned by a
contract test (tests/test_compat.py) that fails when an upgrade moves what it relies on.
Nothing here imports its library at module level: the domain layer uses this module and must
not load Textual or boto3.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

# -- pydantic -----------------------------------------------------------------------------

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def pydantic_trusted(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """A pydantic model instance from already-valid values, without validation.

    Like `model_construct`, but far cheaper (20,000 plans): the instance's dict and the
    private slots pydantic keeps beside it (`__pydantic_fields_set__`, `__pydantic_extra__`,
    `__pydantic_private__`) are set directly. Every field must be given."""
    obj = model.__new__(model)
    fields = _FIELD_NAMES.get(model)
    if fields is None:
        fields = _FIELD_NAMES[model] = tuple(model.model_fields)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


# -- Textual's DataTable ------------------------------------------------------------------

def datatable_measure_now(table: Any) -> None:
    """Size a DataTable for the rows added so far now, not when it is next idle (DataTable
    keeps `_require_update_dimensions` and `_new_rows` until then and sizes in
    `_update_dimensions`)."""
    if table._require_update_dimensions:
        table._require_update_dimensions = False
        new_rows = table._new_rows.copy()
        table._new_rows.clear()
        table._update_dimensions(new_rows)


def refit_after_sizing(cls: type) -> type:
    """Class decorator for a DataTable subclass: call its `fit_columns()` each time DataTable
    has sized its rows and columns (its private `_update_dimensions` step)."""
    sized = cls.__mro__[1]._update_dimensions  # type: ignore[attr-defined]

    def _update_dimensions(self: Any, new_rows: Any) -> None:
        sized(self, new_rows)
        self.fit_columns()

    cls._update_dimensions = _update_dimensions  # type: ignore[attr-defined]
    return cls


# -- boto3 --------------------------------------------------------------------------------

def boto_scoped_config(session: Any) -> dict[str, Any]:
    """The profile's section of ~/.aws/config, as botocore read it (boto3.Session has no
    public way to it: it lives on the botocore session, `session._session`)."""
    return session._session.get_scoped_config()


def boto_data_loader(session: Any) -> Any:
    """The botocore session's loader of service models and endpoint rules, shared by the
    sessions made for each account so that each does not read and parse them again (it
    lives on the botocore session, `session._session`)."""
    return session._session.get_component("data_loader")


# botocore renames each event a call emits through its alias table (EVENT_ALIASES), and caches
# the answer per client (its emitter's `_alias_name_cache`): a new client works out again the
# ~14 names every call emits (about 1 ms a call on a client making few). The answer depends
# only on the name and the table, so every client whose table reads the same shares one cache
# (each emitter holds its own copy of the table; botocore is not imported here).
_ALIAS_CACHES: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}


def boto_shared_alias_cache(client: Any) -> Any:
    """The client, its emitter's event-alias cache shared with every other client whose emitter
    has the same alias table (an emitter without one is left as it is)."""
    events: Any = getattr(getattr(client, "meta", None), "events", None)
    table = getattr(events, "_event_aliases", None)
    if isinstance(getattr(events, "_alias_name_cache", None), dict) and isinstance(table, dict):
        events._alias_name_cache = _ALIAS_CACHES.setdefault(tuple(sorted(table.items())), {})
    return client
