"""`voicetools test` holds the consent rules too: a destructive function without `confirm:`
asks first, a question gets the question again, and only the yes runs it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scenario_support import write_scenario

from voicetools.scenario.load import load_scenario_file
from voicetools.scenario.run import RunOptions, run_all, selected
from voicetools.testing.scripted_llm import ScriptedLLM

AGENT = Path(__file__).resolve().parents[1] / "data" / "agents" / "consent.yaml"

SUITE = """\
  - name: a destructive remove is read back and runs only on the yes
    turns:
      - user: Please remove the note milk.
        expect: {calls: [{name: remove_note, arguments: {note: milk}}], confirmation: true}
      - user: Okay, which note is that?
        expect: {no_call: true, confirmation: true, reply_contains: [yes or no, milk]}
      - user: Yeah, go ahead.
        expect: {calls: [{name: remove_note, arguments: {note: milk}}], reply_contains: Done}
"""


def test_a_scenario_confirms_a_destructive_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "probe.log"
    log.write_text("")
    monkeypatch.setenv("PROBE_LOG", str(log))
    llm = ScriptedLLM(default="Anything else?")
    llm.on_call("remove the note milk", "remove_note", note="milk")
    llm.add("tool_response", "Done.")
    file = load_scenario_file(write_scenario(tmp_path, SUITE, agent=AGENT, today="2026-11-18"))
    results = asyncio.run(run_all(selected([file], ""), llm, RunOptions()))
    assert [r.failures for r in results] == [[]]
    assert log.read_text() == "milk|None|low\n"  # the handler ran once, after the yes
