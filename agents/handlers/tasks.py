"""A to-do list for agents/task_manager.yaml, stored in SQLite.

The database lives at $TASKS_DB (default: tasks.sqlite in the user's cache folder), so
running the example never writes into the repository. Errors come back as results with a
category the runtime understands: not_found, temporary, permission, unknown.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    due_date TEXT,
    priority TEXT NOT NULL DEFAULT 'medium',
    done INTEGER NOT NULL DEFAULT 0
)
"""


def _db_path() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "voicetools"
    return Path(os.environ.get("TASKS_DB", default / "tasks.sqlite"))


@contextmanager
def _connect() -> Iterator[sqlite3.Connection]:
    path = _db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=1.0)
    try:
        conn.execute(_SCHEMA)
        with conn:
            yield conn
    finally:
        conn.close()


def _temporary(exc: sqlite3.OperationalError) -> dict[str, object]:
    return {"error": "temporary", "message": "The task list is busy right now.", "detail": str(exc)}


def create_task(
    title: str, due_date: str | None = None, priority: str = "medium"
) -> dict[str, object]:
    """Add a task; returns its number."""
    try:
        with _connect() as conn:
            cursor = conn.execute(
                "INSERT INTO tasks (title, due_date, priority) VALUES (?, ?, ?)",
                (title.strip(), due_date, priority),
            )
    except sqlite3.OperationalError as exc:
        return _temporary(exc)
    task_id, title = cursor.lastrowid, title.strip()
    due = f", due {_spoken_day(due_date)}" if due_date else ""
    return {
        "task_id": task_id,
        "title": title,
        "due_date": due_date,
        "priority": priority,
        # A sentence the agent can read back as is: the 0.5B model otherwise says only
        # "Task added!", and the caller cannot hear what was written down.
        "message": f"Added task {task_id}, {title}{due}.",
    }


def _spoken_day(iso: str) -> str:
    """An ISO date as it is said: 2026-05-07 -> "Thursday, May 7" (not read digit by digit)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day:%A}, {day:%B} {day.day}"


def list_tasks(status: str = "open", due_filter: str = "any") -> dict[str, object]:
    """Tasks matching a status and a due-date window, most urgent first."""
    today = date.today()
    clauses, args = [], []
    if status != "all":
        clauses.append("done = ?")
        args.append(1 if status == "done" else 0)
    if due_filter == "today":
        clauses.append("due_date = ?")
        args.append(today.isoformat())
    elif due_filter == "this_week":
        clauses.append("due_date BETWEEN ? AND ?")
        args += [today.isoformat(), (today + timedelta(days=6)).isoformat()]
    elif due_filter == "overdue":
        clauses.append("due_date < ? AND done = 0")
        args.append(today.isoformat())
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    query = (
        f"SELECT id, title, due_date, priority, done FROM tasks {where} "  # noqa: S608 - fixed clauses
        "ORDER BY CASE priority WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END, due_date"
    )
    try:
        with _connect() as conn:
            rows = conn.execute(query, args).fetchall()
    except sqlite3.OperationalError as exc:
        return _temporary(exc)
    tasks = [
        {"task_id": r[0], "title": r[1], "due_date": r[2], "priority": r[3], "done": bool(r[4])}
        for r in rows
    ]
    return {"count": len(tasks), "tasks": tasks}


def _update(task_id: int, sql: str, verb: str) -> dict[str, object]:
    try:
        with _connect() as conn:
            changed = conn.execute(sql, (int(task_id),)).rowcount
    except sqlite3.OperationalError as exc:
        return _temporary(exc)
    if not changed:
        return {"error": "not_found", "message": f"I couldn't find task {task_id}."}
    return {"task_id": int(task_id), verb: True}


def complete_task(task_id: int) -> dict[str, object]:
    """Mark a task as done."""
    return _update(task_id, "UPDATE tasks SET done = 1 WHERE id = ?", "completed")


def delete_task(task_id: int) -> dict[str, object]:
    """Delete a task for good (the agent file asks the caller to confirm first)."""
    return _update(task_id, "DELETE FROM tasks WHERE id = ?", "deleted")
