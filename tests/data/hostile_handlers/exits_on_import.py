"""A handler module whose top level ends the process it is imported in."""

import os

os._exit(9)


def never() -> None:
    """Unreachable: the import above ends the process."""
