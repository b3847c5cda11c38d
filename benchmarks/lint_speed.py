"""How fast is `voicetools validate`? Compared with check-jsonschema on the same file.

Issue 2 asks for a start no slower than check-jsonschema's: both are CLI tools a pre-commit hook
runs on every commit, so wall time of a whole process (interpreter start, imports, parse,
check) is what a developer feels. check-jsonschema only checks the schema; voicetools also runs
every semantic rule, so equal time means the rules are close to free.

    python benchmarks/lint_speed.py [--runs 7] [--agent agents/order_support.yaml]

Prints a table of medians; it is not a test and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _command(script: str, module: str) -> list[str]:
    """The installed console script, or `python -m module` when it is not on PATH."""
    found = shutil.which(script)
    return [found] if found else [sys.executable, "-m", module]


def wall_time(argv: list[str], runs: int) -> tuple[float, int]:
    """Median wall time in ms over `runs` runs (after one warm-up), and the last exit code."""
    subprocess.run(argv, capture_output=True, check=False)
    times = []
    code = 0
    for _ in range(runs):
        start = time.perf_counter()
        code = subprocess.run(argv, capture_output=True, check=False).returncode
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), code


def big_agent(count: int) -> dict[str, object]:
    """An agent with `count` distinct, valid HTTP functions."""
    functions = [
        {
            "name": f"get_record_{i}",
            "description": f"Look up record number {i} by its identifier.",
            "parameters": {
                "type": "object",
                "properties": {"record_id": {"type": "string", "description": "The record id."}},
                "required": ["record_id"],
            },
            "http": {"url": f"https://api.example.com/records/{i}/{{record_id}}", "method": "GET"},
            "timeout_ms": 4000,
        }
        for i in range(count)
    ]
    return {
        "version": 1,
        "name": "big-agent",
        "instructions": "You look up records for the caller.",
        "functions": functions,
    }


def in_process_ms(path: Path, runs: int) -> float:
    """Median time of `lint_file` alone, with imports already paid (the rules' own cost)."""
    from voicetools.spec.lint import lint_file

    lint_file(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        lint_file(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--agent", type=Path, default=ROOT / "agents" / "order_support.yaml")
    parser.add_argument("--functions", type=int, default=1000)
    args = parser.parse_args()

    from voicetools.spec.schema import AGENT_SCHEMA

    voicetools = _command("voicetools", "voicetools")
    checker = _command("check-jsonschema", "check_jsonschema")
    rows: list[tuple[str, str, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        schema = Path(tmp) / "agent.schema.json"
        schema.write_text(json.dumps(AGENT_SCHEMA), encoding="utf-8")
        big = Path(tmp) / "big_agent.yaml"
        big.write_text(yaml.safe_dump(big_agent(args.functions), sort_keys=False), encoding="utf-8")
        for label, path in ((args.agent.name, args.agent), (f"{args.functions} functions", big)):
            ours, ours_code = wall_time([*voicetools, "validate", str(path)], args.runs)
            theirs, theirs_code = wall_time(
                [*checker, "--schemafile", str(schema), str(path)], args.runs
            )
            rows.append((label, "voicetools validate", ours, ours_code))
            rows.append((label, "check-jsonschema", theirs, theirs_code))
        lint_small = in_process_ms(args.agent, args.runs)
        lint_big = in_process_ms(big, max(1, args.runs // 2))

    print(f"median of {args.runs} runs, wall time of a whole process (ms)\n")
    print(f"{'file':<22} {'command':<22} {'ms':>8} {'exit':>5} {'vs check-jsonschema':>20}")
    for i in range(0, len(rows), 2):
        (label, ours_name, ours, ours_code), (_, theirs_name, theirs, theirs_code) = (
            rows[i],
            rows[i + 1],
        )
        print(f"{label:<22} {ours_name:<22} {ours:>8.1f} {ours_code:>5} {ours / theirs:>19.2f}x")
        print(f"{'':<22} {theirs_name:<22} {theirs:>8.1f} {theirs_code:>5} {'1.00x':>20}")
    if any(code != 0 for *_, code in rows):
        print("\nWARNING: a command exited non-zero; the timings above are not comparable.")
    print("\nin-process lint_file (imports already paid):")
    print(f"  {args.agent.name:<20} {lint_small:8.1f} ms")
    print(f"  {f'{args.functions} functions':<20} {lint_big:8.1f} ms")


if __name__ == "__main__":
    main()
