"""A handler module whose top level never finishes: importing it is part of the call's deadline."""

while True:
    pass


def never() -> None:
    """Unreachable: the import above never ends."""
