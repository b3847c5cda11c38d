"""Read a YAML file into plain data plus the line/column of every node.

This is the only module of `voicetools.spec` that reads agent files (through
`voicetools.files.read_bounded`, so a device or a FIFO is refused and no file is read past its
cap). It never raises anything but `SpecError` (with a location) for a file that cannot be read
at all; softer
problems (duplicate keys, YAML 1.1 surprises) are collected as `LoadProblem`s for the linter.

Paths into the data are tuples of keys and indexes, e.g. ("functions", 0, "http", "url").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from voicetools.errors import Location, SpecError
from voicetools.files import AGENT_FILE_CAP, SCENARIO_FILE_CAP, read_bounded

JsonPath = tuple[str | int, ...]

MAX_FILE_BYTES = SCENARIO_FILE_CAP
"""The largest YAML document parsed at all (files are held to their own, smaller caps)."""
MAX_NODES = 200_000
"""Bounds alias expansion ("billion laughs") and absurd documents."""
MAX_DEPTH = 200

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML11_BOOL_WORDS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp")}


@dataclass(frozen=True)
class Mark:
    """A 1-based position of a node in the file."""

    line: int
    col: int


@dataclass(frozen=True)
class LoadProblem:
    """Something the YAML reader noticed that is legal YAML but probably not what was meant."""

    code: str
    """Rule code, e.g. "Y102" for a duplicate key."""
    message: str
    path: JsonPath
    mark: Mark


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data, where each node came from, and reader problems."""

    path: str
    """The file as the user named it (used in every message)."""
    data: Any
    """dicts, lists, str, int, float, bool and None only (dates are kept as their text)."""
    value_marks: Mapping[JsonPath, Mark]
    """Where each value starts."""
    key_marks: Mapping[JsonPath, Mark]
    """Where each mapping key starts (for "unknown field" findings)."""
    problems: tuple[LoadProblem, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)
    """The source lines, for inline suppression comments."""

    @property
    def base_dir(self) -> Path:
        return Path(self.path).resolve().parent

    def mark_of(self, path: JsonPath, *, key: bool = False) -> Mark:
        """The mark of `path`, or of its nearest ancestor that has one."""
        probe = tuple(path)
        while True:
            found = (self.key_marks if key else self.value_marks).get(probe)
            if found is None and key:
                found = self.value_marks.get(probe)
            if found is not None:
                return found
            if not probe:
                return Mark(1, 1)
            probe = probe[:-1]

    def locate(self, path: JsonPath, *, key: bool = False) -> Location:
        mark = self.mark_of(path, key=key)
        return Location(self.path, mark.line, mark.col)


def read_document(
    path: str | Path, *, cap: int = AGENT_FILE_CAP, what: str = "an agent file"
) -> Document:
    """Read (at most `cap` bytes) and parse one YAML file; `SpecError` if it cannot be read."""
    return parse_document(read_bounded(path, cap, what), str(path))


def parse_document(raw: bytes | str, shown_path: str = "<string>") -> Document:
    """Parse YAML bytes or text; accepts data, not only paths."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_FILE_BYTES:
            raise SpecError(
                f"file is {len(raw) // 1024} KiB; agent files are limited to "
                f"{MAX_FILE_BYTES // (1024 * 1024)} MiB",
                Location(shown_path, 1, 1),
            )
        if b"\x00" in raw:
            raise SpecError(
                "file is binary (contains NUL bytes), not YAML", Location(shown_path, 1, 1)
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise SpecError(
                "file is not valid UTF-8 text", Location(shown_path, line, col)
            ) from None
    else:
        text = raw
        if len(text) > MAX_FILE_BYTES:
            raise SpecError("file is too large for an agent file", Location(shown_path, 1, 1))
    try:
        _check_depth(text, shown_path)
        node = yaml.compose(text, Loader=_Loader)  # noqa: S506 - the safe loader, composing only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(shown_path, mark.line + 1, mark.column + 1) if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise SpecError(f"YAML syntax error: {what}", where) from None
    except yaml.YAMLError as exc:
        raise SpecError(f"YAML error: {exc}", Location(shown_path, 1, 1)) from None
    except RecursionError:
        raise SpecError("YAML is nested too deeply", Location(shown_path, 1, 1)) from None
    converter = _Converter(shown_path)
    data = converter.convert(node, ()) if node is not None else None
    return Document(
        path=shown_path,
        data=data,
        value_marks=converter.value_marks,
        key_marks=converter.key_marks,
        problems=tuple(converter.problems),
        lines=tuple(text.splitlines()),
    )


def _check_depth(text: str, shown_path: str) -> None:
    """Refuse deep nesting and huge documents before composing.

    libyaml's composer recurses in C (deep nesting would crash the process) and composing is
    the slow step, so this cheap pass over the event stream goes first.
    """
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_Loader)):
        if count > MAX_NODES:
            raise SpecError(
                f"document has more than {MAX_NODES} YAML nodes; far too large for an agent file",
                _event_location(shown_path, event),
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise SpecError(
                    f"YAML is nested deeper than {MAX_DEPTH} levels",
                    _event_location(shown_path, event),
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _event_location(shown_path: str, event: yaml.Event) -> Location:
    mark = event.start_mark
    return (
        Location(shown_path, mark.line + 1, mark.column + 1) if mark else Location(shown_path, 1, 1)
    )


def _mark(node: yaml.Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Turns a composed node tree into plain data, recording marks and YAML surprises."""

    def __init__(self, shown_path: str) -> None:
        self.shown_path = shown_path
        self.value_marks: dict[JsonPath, Mark] = {}
        self.key_marks: dict[JsonPath, Mark] = {}
        self.problems: list[LoadProblem] = []
        self._nodes = 0
        self._constructor = yaml.SafeLoader("")

    def _fail(self, message: str, node: yaml.Node) -> SpecError:
        mark = _mark(node)
        return SpecError(message, Location(self.shown_path, mark.line, mark.col))

    def convert(self, node: yaml.Node, path: JsonPath) -> Any:
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise self._fail(
                f"document expands to more than {MAX_NODES} nodes through aliases", node
            )
        if len(path) > MAX_DEPTH:
            raise self._fail(f"YAML is nested deeper than {MAX_DEPTH} levels", node)
        self.value_marks.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            if node.tag != _TAG + "map":
                raise self._fail(f"unsupported YAML tag {node.tag}", node)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _TAG + "seq":
                raise self._fail(f"unsupported YAML tag {node.tag}", node)
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                merged.update(self._merge_sources(value_node, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self._fail("mapping keys must be plain strings", key_node)
            # Keys are read as text (YAML 1.2 style): `on:` is the key "on", never True.
            key = str(key_node.value)
            if key_node.tag == _TAG + "bool" and _YAML11_BOOL_WORDS.match(key):
                self._problem(
                    "Y103", f"key `{key}` is a boolean in YAML 1.1; quote it", path, key_node
                )
            if key in result:
                self._problem(
                    "Y102",
                    f"duplicate key `{key}` (first at line {self.key_marks[(*path, key)].line}); "
                    "the later value wins",
                    (*path, key),
                    key_node,
                )
            else:
                self.key_marks[(*path, key)] = _mark(key_node)
            result[key] = self.convert(value_node, (*path, key))
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_sources(self, node: yaml.Node, path: JsonPath) -> dict[str, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                raise self._fail("`<<` merges mappings only", source)
            for key, value in self._mapping(source, path).items():
                merged.setdefault(key, value)
        return merged

    def _scalar(self, node: yaml.ScalarNode, path: JsonPath) -> Any:
        text = node.value
        tag = node.tag
        if tag == _TAG + "timestamp":
            return text  # JSON has no dates; "2026-05-08" stays the string the author wrote
        if tag == _TAG + "bool" and _YAML11_BOOL_WORDS.match(text):
            self._problem(
                "Y103",
                f"`{text}` is read as {str(text.lower() in {'y', 'yes', 'on'}).lower()} "
                f"(YAML 1.1); write true/false, or quote it for the text '{text}'",
                path,
                node,
            )
        elif tag == _TAG + "int" and _SEXAGESIMAL.match(text):
            self._problem(
                "Y104",
                f"`{text}` is a base-60 number in YAML 1.1; quote it for the text",
                path,
                node,
            )
        elif tag == _TAG + "int" and _OCTAL.match(text):
            self._problem(
                "Y104",
                f"`{text}` is an octal number in YAML 1.1; quote it for the text",
                path,
                node,
            )
        if tag not in _PLAIN_TAGS:
            raise self._fail(f"unsupported YAML tag {tag}", node)
        try:
            value = self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError):
            return text
        if isinstance(value, float) and value != value:  # NaN cannot round-trip through JSON
            return text
        return value

    def _problem(self, code: str, message: str, path: JsonPath, node: yaml.Node) -> None:
        self.problems.append(LoadProblem(code, message, path, _mark(node)))
