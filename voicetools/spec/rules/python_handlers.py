"""PY: `python:` handlers exist, define the function, and accept the schema's arguments.

Checked without importing or running user code: the file is found on disk (relative to the
agent file, or a module through the import path without executing any package), parsed with
`ast`, and the function's signature compared with `parameters`. A module that cannot be read
as source (a C extension, a frozen module) is not checked.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from voicetools.files import HANDLER_SOURCE_CAP, UnreadableFile, read_bounded
from voicetools.spec.findings import Finding, LintContext, Severity, declare, rule
from voicetools.spec.rules._common import Entry, entries

declare(
    "PY101",
    "bad-handler-reference",
    Severity.ERROR,
    "`python:` must be `file.py:function` or `package.module:function`.",
)
declare(
    "PY102", "handler-not-found", Severity.ERROR, "The handler's file or module does not exist."
)
declare(
    "PY103",
    "handler-unparsable",
    Severity.ERROR,
    "The handler file cannot be read (a device, a FIFO, too large) or is not valid Python.",
)
declare(
    "PY104",
    "handler-function-missing",
    Severity.ERROR,
    "The handler function is not defined at the top level of its module.",
)
declare(
    "PY105",
    "handler-rejects-argument",
    Severity.ERROR,
    "The handler does not accept an argument of the schema.",
)
declare(
    "PY106",
    "handler-needs-argument",
    Severity.ERROR,
    "The handler has a parameter without default that the model may not send.",
)


@dataclass(frozen=True)
class HandlerProblem:
    code: str
    message: str
    hint: str | None = None


def _identifier(text: str) -> bool:
    return text.isidentifier()


def find_source(target: str, base_dir: Path) -> Path | HandlerProblem | None:
    """The .py file for `target`; None when it exists but has no readable source."""
    if target.endswith(".py") or "/" in target or "\\" in target:
        path = (base_dir / target).resolve()
        if path.exists():  # a directory, device or FIFO is reported when it is read
            return path
        return HandlerProblem("PY102", f"handler file `{target}` not found (looked in {base_dir})")
    parts = target.split(".")
    if not all(_identifier(p) for p in parts):
        return HandlerProblem(
            "PY101", f"`{target}` is not a module path", "write `package.module:function`"
        )
    local = _in_folders(parts, [base_dir])
    if local is not None:
        return local
    try:
        # Only the top-level name is looked up: find_spec("a.b") would import package `a`.
        spec = importlib.util.find_spec(parts[0])
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        hint = "is it installed, or misspelt?"
        return HandlerProblem("PY102", f"module `{parts[0]}` not found", hint)
    if len(parts) == 1:
        origin = spec.origin or ""
        return Path(origin) if origin.endswith(".py") else None
    folders = [Path(p) for p in (spec.submodule_search_locations or [])]
    found = _in_folders(parts[1:], folders)
    if found is None:
        return HandlerProblem("PY102", f"module `{target}` not found")
    return found


def _in_folders(parts: list[str], folders: list[Path]) -> Path | None:
    for folder in folders:
        stem = folder.joinpath(*parts)
        for candidate in (stem.with_name(stem.name + ".py"), stem / "__init__.py"):
            if candidate.is_file():
                return candidate
    return None


def top_level_definition(tree: ast.Module, name: str) -> ast.AST | None:
    """The last top-level statement that defines `name` (in if/try blocks too).

    A `from x import *` or a module `__getattr__` may define anything: the star import (or
    the `__getattr__`) is returned, so the name counts as defined but is not checked further.
    """
    found: ast.AST | None = None
    dynamic: ast.AST | None = None
    statements = list(tree.body)
    while statements:
        node = statements.pop(0)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name == name:
                found = node
            elif node.name == "__getattr__":
                dynamic = node
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                found = node
        elif isinstance(node, ast.Import | ast.ImportFrom):
            if any((a.asname or a.name.split(".")[0]) == name for a in node.names):
                found = node
            elif any(a.name == "*" for a in node.names):
                dynamic = node
        elif isinstance(node, ast.If):
            statements[:0] = [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            blocks = [*node.body, *node.orelse, *node.finalbody]
            for handler in node.handlers:
                blocks.extend(handler.body)
            statements[:0] = blocks
    return found or dynamic


def signature_problems(
    func: ast.FunctionDef | ast.AsyncFunctionDef, props: list[str], required: list[str]
) -> Iterator[HandlerProblem]:
    """How the handler's parameters disagree with the schema's properties."""
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    accepted = {a.arg for a in [*args.args, *args.kwonlyargs]}
    positional_only = {a.arg for a in args.posonlyargs}
    if args.kwarg is None:
        for name in props:
            if name not in accepted and name not in positional_only:
                kind = "required" if name in required else "optional"
                yield HandlerProblem(
                    "PY105",
                    f"`{func.name}` has no parameter `{name}` ({kind} in the schema)",
                    f"add `{name}` to the signature, or `**kwargs`",
                )
    needs = [a for i, a in enumerate(positional) if i < first_default]
    needs += [a for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is None]
    for arg in needs:
        name = arg.arg
        if arg in args.posonlyargs:
            message = f"`{func.name}` parameter `{name}` is positional-only"
            hint = "arguments are passed by name; remove the `/`"
        elif name not in props:
            message = f"`{func.name}` needs `{name}`, which the schema does not declare"
            hint = f"declare `{name}` in `parameters`, or give it a default"
        elif name not in required:
            message = f"`{func.name}` needs `{name}`, which is optional in the schema"
            hint = f"add `{name}` to `required`, or give the parameter a default"
        else:
            continue
        yield HandlerProblem("PY106", message, hint)


def check_handler(entry: Entry, base_dir: Path) -> Iterator[HandlerProblem]:
    ref = entry.fn.python or ""
    target, _, name = ref.strip().rpartition(":")
    if not target or not _identifier(name):
        yield HandlerProblem(
            "PY101",
            f"`{ref}` is not `file.py:function` or `module:function`",
            "name the function after a colon, e.g. `handlers/support.py:create_ticket`",
        )
        return
    source = find_source(target, base_dir)
    if source is None:
        return
    if isinstance(source, HandlerProblem):
        yield source
        return
    try:
        text = read_bounded(source, HANDLER_SOURCE_CAP, "a handler file")
    except UnreadableFile as exc:
        reason = exc.message.removeprefix("cannot read file: ")
        yield HandlerProblem("PY103", f"cannot read `{target}`: {reason}")
        return
    try:
        tree = ast.parse(text, filename=str(source))
    except (ValueError, SyntaxError, RecursionError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) and exc.lineno else ""
        yield HandlerProblem("PY103", f"cannot parse `{target}`{where}: {exc.__class__.__name__}")
        return
    node = top_level_definition(tree, name)
    if node is None:
        yield HandlerProblem(
            "PY104",
            f"`{name}` is not defined at the top level of `{target}`",
            "define it with `def` (or `async def`) at module level",
        )
        return
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        yield from signature_problems(node, list(entry.fn.properties), list(entry.fn.required))


@rule
def python_handlers(ctx: LintContext) -> Iterator[Finding]:
    for entry in entries(ctx):
        if not isinstance(entry.raw.get("python"), str):
            continue
        for problem in check_handler(entry, ctx.agent.base_dir):
            yield ctx.finding(problem.code, problem.message, entry.at("python"), hint=problem.hint)
