"""Errors that carry a one-line message meant for the user (CLI and TUI show it as is)."""


class PlannerError(Exception):
    """Base class: `str(error)` is a complete, user-facing sentence."""


class UserInputError(PlannerError):
    """Something the user typed or supplied is invalid (dates, model IDs, names, files)."""


class ProjectFileError(PlannerError):
    """The project file cannot be used: not a planner database, newer version, corrupt, locked."""


class ReadOnlyError(PlannerError):
    """An edit was attempted on a project opened with --read-only."""


class NotFoundError(UserInputError):
    """A named application, model, plan or item does not exist."""


class ImportRejected(UserInputError):
    """An import that found problems; nothing was written. `problems` has one line each."""

    def __init__(self, summary: str, problems: list[str]) -> None:
        super().__init__(summary)
        self.problems = problems


class ConflictError(PlannerError):
    """Someone else changed the same row since it was read; the later edit was not saved."""
