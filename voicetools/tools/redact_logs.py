"""Python logging and last-resort error lines pass through the session's redactor.

`redacting(redactor)` wraps a session: every log record made meanwhile, from any logger or
thread, has its message, traceback and stack masked when it is created, so no handler (a
file, pytest's capture, a library user's) ever sees a raw secret. An exception leaving the
scope carries the redactor, so the CLI's one-line error for it is masked too (`mask_error`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from voicetools.tools.redact import NO_SECRETS, Redactor

_ATTRIBUTE = "_voicetools_redactor"


def _scrub(record: logging.LogRecord, redactor: Redactor) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a bad format string: keep its parts, masked
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redactor.text(message), None
    if record.exc_info:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_info, record.exc_text = None, redactor.text(text)
    elif record.exc_text:
        record.exc_text = redactor.text(record.exc_text)
    if record.stack_info:
        record.stack_info = redactor.text(record.stack_info)
    return record


@contextmanager
def redacting(redactor: Redactor) -> Iterator[Redactor]:
    """Mask every log record created inside, and tag an exception that escapes."""
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return _scrub(previous(*args, **kwargs), redactor)

    logging.setLogRecordFactory(factory)
    try:
        yield redactor
    except BaseException as exc:
        try:
            setattr(exc, _ATTRIBUTE, redactor)
        except AttributeError:  # an exception type with __slots__: nothing to carry it on
            pass
        raise
    finally:
        logging.setLogRecordFactory(previous)


def mask_error(exc: BaseException, text: str) -> str:
    """`text` (about `exc`) masked with the redactor of the session it escaped, if any."""
    redactor = getattr(exc, _ATTRIBUTE, None)
    return (redactor if isinstance(redactor, Redactor) else NO_SECRETS).text(text)
