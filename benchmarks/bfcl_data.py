"""BFCL v4 live cases and their possible answers, read straight from the `bfcl-eval` wheel.

The wheel is a zip; its `bfcl_eval/data/BFCL_v4_<category>.json` files hold one case per line
(`id`, `question`: turns of chat messages, `function`: the function docs), and
`bfcl_eval/data/possible_answer/BFCL_v4_<category>.json` the ground truth
(`[{function name: {argument: [allowed values]}}]`; `""` among the values marks an optional
argument that may be left out). `live_irrelevance` has no answers: any call is wrong.
The data is not vendored: it is read from the wheel the user downloaded (DOWNLOAD).
"""

from __future__ import annotations

import json
import os
import random
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CATEGORIES = ("live_simple", "live_multiple", "live_irrelevance")
DOWNLOAD = "pip download bfcl-eval --no-deps -d /tmp/bfcl"
ENV_DATA = "BFCL_DATA"


class MissingData(Exception):
    """No readable bfcl-eval wheel; the message is one line naming the download command."""


@dataclass(frozen=True)
class BfclCase:
    """One BFCL case."""

    id: str
    category: str
    messages: tuple[Mapping[str, Any], ...]
    """The chat messages of the case's one turn (system and user, sometimes assistant)."""
    functions: tuple[Mapping[str, Any], ...]
    """BFCL's function docs (its own types: dict, float, tuple, any)."""
    answers: tuple[Mapping[str, Mapping[str, list[Any]]], ...] = field(default=())
    """The ground truth: one `{name: {argument: allowed values}}` per expected call."""


def find_wheel(given: Path | None) -> Path:
    """The wheel named by --data, else $BFCL_DATA; a folder holding the wheel works too."""
    raw = given if given is not None else os.environ.get(ENV_DATA)
    if not raw:
        raise MissingData(f"no BFCL data: get it with `{DOWNLOAD}` and pass --data /tmp/bfcl")
    path = Path(raw)
    if path.is_dir():
        wheels = sorted(path.glob("bfcl_eval-*.whl"))
        path = wheels[-1] if wheels else path / "bfcl_eval-*.whl"
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise MissingData(f"no bfcl-eval wheel at {path}: get it with `{DOWNLOAD}`")
    return path


def _lines(archive: zipfile.ZipFile, pattern: re.Pattern[str]) -> list[dict[str, Any]]:
    name = next((n for n in archive.namelist() if pattern.search(n)), None)
    if name is None:
        raise MissingData(f"the wheel holds no {pattern.pattern}: get it with `{DOWNLOAD}`")
    text = archive.read(name).decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_category(wheel: Path, category: str) -> list[BfclCase]:
    """Every case of `category`, in file order, with its possible answers attached."""
    file = rf"BFCL_v\d+_{re.escape(category)}\.json$"
    with zipfile.ZipFile(wheel) as archive:
        rows = _lines(archive, re.compile(rf"(^|/)data/{file}"))
        answers = {} if category.endswith("irrelevance") else {
            row["id"]: row["ground_truth"]
            for row in _lines(archive, re.compile(rf"(^|/)possible_answer/{file}"))
        }  # fmt: skip
    return [
        BfclCase(
            id=row["id"],
            category=category,
            messages=tuple(row["question"][-1]),  # live cases have one turn
            functions=tuple(row["function"]),
            answers=tuple(answers.get(row["id"], ())),
        )
        for row in rows
    ]


def sample(cases: Sequence[BfclCase], n: int, seed: int) -> list[BfclCase]:
    """`n` cases picked at random with `seed` (all when n <= 0), kept in file order."""
    if n <= 0 or n >= len(cases):
        return list(cases)
    picked = set(random.Random(seed).sample(range(len(cases)), n))
    return [c for i, c in enumerate(cases) if i in picked]
