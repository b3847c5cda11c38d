"""`voicetools test SCENARIO...`: run scripted conversations against agents and check them.

Files are scenario files; folders are searched (recursively) for *.yaml/*.yml files that are
scenario files (they have `scenarios:` and no `instructions:`). Every file is read and checked
before the model loads, so a typo costs a second, not a model load: each problem is printed as
`file:line:col: message (hint)`, and the exit code is 2.

The report goes to stdout in `--format`; with `--output FILE` it goes to FILE instead and
stdout shows the text report (as pytest does with --junitxml). The text report prints each
scenario as soon as it has run. Exit codes: 0 every scenario passed, 1 some failed or could
not run, 2 a usage, scenario-file, agent-file or model problem (nothing ran).
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from voicetools.cli.boundary import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, cli_errors

if TYPE_CHECKING:
    from voicetools.scenario.model import ScenarioFile
    from voicetools.scenario.parallel import ModelChoice
    from voicetools.scenario.results import ScenarioResult


def register(app: typer.Typer) -> None:
    app.command("test")(scenario_test_command)


def scenario_paths(given: list[Path]) -> list[tuple[Path, bool]]:
    """(path, named explicitly) for files, and the *.yaml/*.yml found in folders.

    A *.yaml in a folder that is not a regular file (a FIFO, a link to a device) is kept, so
    that reading it reports it instead of skipping it silently.
    """
    found: list[tuple[Path, bool]] = []
    for path in given:
        if path.is_dir():
            inside = [
                p for p in path.rglob("*") if p.suffix in {".yaml", ".yml"} and not p.is_dir()
            ]
            found += [(p, False) for p in sorted(inside)]
        else:
            found.append((path, True))
    return found


def load_files(given: list[Path]) -> list[ScenarioFile]:
    """Every scenario file, checked; all problems printed, then exit 2 if there were any."""
    from voicetools.errors import SpecError, UsageError
    from voicetools.scenario.load import ScenarioError, build_scenario_file, read_scenario_document
    from voicetools.spec.lint import is_scenario

    files, problems = [], []
    for path, explicit in scenario_paths(given):
        try:
            doc = read_scenario_document(path)
            if not explicit and not is_scenario(doc):
                continue  # an agent file (or other YAML) next to the scenarios
            files.append(build_scenario_file(doc))
        except ScenarioError as exc:
            problems += [str(p) for p in exc.problems]
        except SpecError as exc:
            problems.append(str(exc))
    for line in problems:
        print(line, file=sys.stderr, flush=True)
    if problems:
        raise typer.Exit(EXIT_USAGE)
    if not files:
        raise UsageError("no scenario files found in " + ", ".join(str(p) for p in given))
    return files


def model_choice(model: str | None, llm_url: str | None) -> ModelChoice:
    """Resolve the model once, here (assembling it with a progress bar if needed)."""
    from voicetools.backends.assemble import resolve_model
    from voicetools.cli.render import byte_progress
    from voicetools.scenario.parallel import ModelChoice

    if llm_url:
        return ModelChoice(model=model, llm_url=llm_url)
    with byte_progress("assembling the model", enabled=sys.stderr.isatty()) as progress:
        path = resolve_model(model, progress=progress)
    return ModelChoice(model=str(path))


def write_pages(results: list[ScenarioResult], folder: Path) -> None:
    """One report page per scenario that ran a turn, named after its file and name; the note
    goes to stderr, so stdout stays the report (`--format json` with no `--output`)."""
    import re

    from voicetools.cli.boundary import note
    from voicetools.report import write_report

    written = 0
    for index, result in enumerate(results, start=1):
        records = result.call_records()
        if not records:  # broke before its first turn: the text report says why
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", f"{Path(result.file).stem} {result.name}".lower())
        verdict = "passed" if result.passed else "failed"
        title = f"{result.name} ({verdict})"
        write_report(records, folder / f"{index:03d}-{slug.strip('-')}.html", title=title)
        written += 1
    note(f"wrote {written} call page{'' if written == 1 else 's'} to {folder}")


def _today(text: str | None) -> date | None:
    from voicetools.errors import UsageError

    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today must be a date written YYYY-MM-DD, not {text!r}") from None


def scenario_test_command(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files or folders.")],
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="A model name or a GGUF path.")
    ] = None,
    llm_url: Annotated[
        str | None, typer.Option("--llm-url", help="An OpenAI-compatible server instead.")
    ] = None,
    mock_tools: Annotated[
        bool, typer.Option("--mock-tools", help="Answer every call with its mock.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD for files without `today:`.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text, json or junit.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Write one HTML page per scenario into this folder."),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes.")] = 1,
    select: Annotated[
        str, typer.Option("-k", help="Only scenarios whose file::name contains this.")
    ] = "",
) -> None:
    """Run scenario files: scripted conversations whose calls and replies are checked."""
    import asyncio

    from voicetools.cli.render import text_style, want_color
    from voicetools.errors import UsageError
    from voicetools.scenario.parallel import run_parallel
    from voicetools.scenario.report import FORMATS, render, scenario_lines, summary_line
    from voicetools.scenario.results import Summary
    from voicetools.scenario.run import RunOptions, run_all, selected

    with cli_errors():
        if fmt not in FORMATS:
            raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        if jobs < 1:
            raise UsageError("--jobs must be at least 1")
        options = RunOptions(mock_tools, _today(today), select)
        work = selected(load_files(scenarios), select)
        if not work:
            raise UsageError(f"no scenario matches -k {select!r}")
        choice = model_choice(model, llm_url)
        style = text_style(want_color(None, sys.stdout))
        streaming = fmt == "text" or output is not None

        def show(result: ScenarioResult) -> None:
            if streaming:
                typer.echo("\n".join(scenario_lines(result, style)))

        start = time.perf_counter()
        if jobs == 1:
            llm = choice.make()
            results = asyncio.run(run_all(work, llm, options, on_result=show))
        else:
            results = run_parallel(work, choice, options, min(jobs, len(work)), on_result=show)
        duration = time.perf_counter() - start
        if streaming:
            typer.echo(summary_line(results, duration, style))
        if output is not None:
            output.write_text(render(fmt, results, duration), encoding="utf-8")
        elif fmt != "text":
            typer.echo(render(fmt, results, duration), nl=False)
        if report is not None:
            write_pages(results, report)
    raise typer.Exit(EXIT_OK if Summary.of(results, duration).ok else EXIT_FINDINGS)
