"""No secret and no card number in any sink, while the real server did receive them.

A loopback server echoes every request (headers, query, body) back, so the secret and the card
come back in each tool result. The CLI runs for real (CliRunner, in this process): `tool run`
with `--log` and `--verbose`, `--dry-run` with JSON, form and query bodies, `chat` with a
transcript and a scripted model that says the secret aloud, and `test` in its three report
formats with failures that quote the agent and the call. Each test also checks the server log,
so a sink that is clean only because nothing was sent cannot pass.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
from scripted_http import ScriptedServer
from typer.testing import CliRunner, Result

from voicetools.cli import test_cmd
from voicetools.cli.app import app
from voicetools.scenario.parallel import ModelChoice
from voicetools.testing.scripted_llm import ScriptedLLM

pytestmark = pytest.mark.integration

SECRET = "Sk7-sink/secret+Qz91xV"
CARD = "4111 1111 1111 1111"
CARD_DIGITS = CARD.replace(" ", "")
PARTS = (SECRET, SECRET[:8], SECRET[-8:], "Sk7-sink%2Fsecret", "Sk7-sink%2fsecret")

AGENT = """\
version: 1
name: sink-probe
instructions: You look up payments for the caller.
allow_private: true
functions:
  - name: lookup
    description: Look up a payment by card number and note.
    parameters:
      type: object
      properties:
        card: {{type: string, description: The card number.}}
        note: {{type: string, description: A note.}}
      required: [card]
    http:
      url: {url}/echo/lookup?sig=${{SINK_SECRET}}
      method: POST
      headers:
        Authorization: Bearer ${{SINK_SECRET}}
        X-Card: "{{card}}"
    speak_during_execution: One moment while I check that.
  - name: lookup_form
    description: The same lookup, sent as a form.
    parameters: &card_only
      type: object
      properties:
        card: {{type: string, description: The card number.}}
      required: [card]
    http:
      url: {url}/echo/form
      method: POST
      body: form
      headers:
        X-Key: ${{SINK_SECRET}}
  - name: lookup_query
    description: The same lookup, in the query string.
    parameters: *card_only
    http:
      url: {url}/echo/query
      method: GET
      headers:
        X-Key: ${{SINK_SECRET}}
  - name: lookup_small
    description: The same lookup, with a tiny response cap.
    parameters: *card_only
    http:
      url: {url}/echo/small
      method: POST
      max_response_bytes: {cap}
      headers:
        Authorization: Bearer ${{SINK_SECRET}}
  - name: broken
    description: An endpoint that fails.
    parameters: *card_only
    http:
      url: {url}/status/500?key=${{SINK_SECRET}}&card={{card}}
      method: GET
      retries: 0
  - name: charge
    description: Charge the card on file.
    parameters: *card_only
    http:
      url: {url}/echo/charge
      method: POST
      headers:
        Authorization: Bearer ${{SINK_SECRET}}
    confirm: true
  - builtin: end_call
"""


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    running = ScriptedServer()
    yield running
    running.stop()


def _agent(tmp_path: Path, server: ScriptedServer, cap: int = 4096) -> Path:
    path = tmp_path / "agent.yaml"
    path.write_text(AGENT.format(url=server.url, cap=cap), encoding="utf-8")
    return path


def _invoke(args: list[str], stdin: str | None = None) -> Result:
    env = {"COLUMNS": "100", "NO_COLOR": "1", "SINK_SECRET": SECRET}
    return CliRunner().invoke(app, args, input=stdin, env=env)


def clean(text: str, where: str) -> None:
    for part in PARTS:
        assert part not in text, f"{part!r} leaked into {where}"
    digits = "".join(ch for ch in text if ch.isdigit())
    assert CARD_DIGITS[:8] not in digits, f"card digits leaked into {where}"


def server_got_it(server: ScriptedServer) -> None:
    """The secret and the card did go out: the sinks are clean by redaction, not by silence."""
    seen = " ".join(
        f"{unquote_plus(s.path)} {json.dumps(s.headers)} {unquote_plus(s.body.decode())}"
        for s in server.log
    )
    assert SECRET in seen or "Sk7-sink%2Fsecret" in seen
    assert CARD_DIGITS in "".join(ch for ch in seen if ch.isdigit())


@pytest.mark.parametrize("card", [CARD, "4111  1111  1111  1111", "4111-1111-1111-1111"])
def test_tool_run_stdout_stderr_and_log(
    tmp_path: Path, server: ScriptedServer, card: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    log = tmp_path / "calls.jsonl"
    args = json.dumps({"card": card, "note": f"my key is {SECRET}, card {card}"})
    agent = str(_agent(tmp_path, server))
    result = _invoke(["tool", "run", agent, "lookup", "--args", args, "--log", str(log)])
    assert result.exit_code == 0, result.output
    echoed = json.loads(result.stdout)
    assert echoed["headers"]["Authorization"] == "Bearer [REDACTED]"
    assert "[CARD]" in echoed["body"] and "[CARD]" in echoed["headers"]["X-Card"]
    clean(result.stdout, "stdout")
    clean(result.stderr, "stderr")
    clean(log.read_text(), "--log")
    clean(caplog.text, "python logging")
    server_got_it(server)


def test_failures_and_verbose_details(tmp_path: Path, server: ScriptedServer) -> None:
    log = tmp_path / "calls.jsonl"
    agent = str(_agent(tmp_path, server))
    args = json.dumps({"card": CARD})
    result = _invoke(["tool", "run", agent, "broken", "--args", args, "-v", "--log", str(log)])
    assert result.exit_code == 1
    assert "[REDACTED]" in result.stderr  # the verbose detail shows the URL, masked
    for text, where in ((result.stdout, "stdout"), (result.stderr, "stderr")):
        clean(text, where)
    clean(log.read_text(), "--log")
    server_got_it(server)


@pytest.mark.parametrize("cap", range(64, 330, 9))  # some cut inside the secret or the card
def test_a_small_cap_never_leaves_half_a_secret(
    tmp_path: Path, server: ScriptedServer, cap: int
) -> None:
    args = json.dumps({"card": CARD})
    agent = str(_agent(tmp_path, server, cap))
    result = _invoke(["tool", "run", agent, "lookup_small", "-a", args])
    assert result.exit_code == 0, result.output
    assert '"truncated": true' in result.stdout
    clean(result.stdout, f"stdout with a {cap}-byte cap")
    server_got_it(server)


@pytest.mark.parametrize("name", ["lookup", "lookup_form", "lookup_query"])
def test_dry_run_shows_url_headers_and_body_masked(
    tmp_path: Path, server: ScriptedServer, name: str
) -> None:
    args = json.dumps({"card": CARD, "note": SECRET} if name == "lookup" else {"card": CARD})
    result = _invoke(["tool", "run", str(_agent(tmp_path, server)), name, "-a", args, "--dry-run"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    clean(result.stdout, f"--dry-run of {name}")
    clean(result.stderr, "stderr")
    assert "[CARD]" in json.dumps(shown)
    assert server.log == []  # a dry run sends nothing


def _chat_llm() -> ScriptedLLM:
    llm = ScriptedLLM([("hello", f"Hi! Your key is {SECRET}, right?")])
    llm.add("tool_response", f"Card {CARD} is fine; I used key {SECRET}.")
    llm.on_call("charge", "charge", card=CARD)
    llm.on_call("card", "lookup", card=CARD, note=SECRET)
    llm.on_call("bye", "end_call")
    return llm


def test_chat_output_and_transcript(
    tmp_path: Path,
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    llm = _chat_llm()
    monkeypatch.setattr("voicetools.runtime.session.build_llm", lambda *a, **k: llm)
    transcript = tmp_path / "call.jsonl"
    lines = f"hello\nmy card is {CARD} and my key is {SECRET}\ncharge {CARD}\nyes\nok bye\n"
    agent = str(_agent(tmp_path, server))
    result = _invoke(["chat", agent, "--transcript", str(transcript)], stdin=lines)
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in transcript.read_text().splitlines()]
    kinds = {e["type"] for e in events}
    assert {"user", "agent", "tool_call", "tool_result"} <= kinds, kinds
    assert any("[CARD]" in e.get("text", "") for e in events if e["type"] == "user")
    assert any("[REDACTED]" in e.get("text", "") for e in events if e["type"] == "agent")
    assert any(e.get("role") == "confirm" for e in events), events  # the read-back question
    assert sum(e["type"] == "tool_call" for e in events) >= 2
    clean(result.stdout, "chat stdout")
    clean(result.stderr, "chat stderr")
    clean(transcript.read_text(), "transcript")
    clean(caplog.text, "python logging")
    server_got_it(server)


def _scenario_llm() -> ScriptedLLM:
    return _chat_llm()


SCENARIOS = """\
agent: {agent}
scenarios:
  - name: leaks
    turns:
      - user: my card is {card} and my key is {secret}
        expect:
          calls: [{{name: lookup, arguments: {{card: "0000"}}}}]
  - name: leaks in the reply
    turns:
      - user: my card is {card}
        expect:
          reply_contains: ["nothing like this"]
"""


@pytest.mark.parametrize("fmt", ["text", "json", "junit"])
def test_scenario_reports(
    tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.setattr(test_cmd, "model_choice", lambda m, u: ModelChoice(factory=_scenario_llm))
    agent = _agent(tmp_path, server)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(SCENARIOS.format(agent=agent, card=CARD, secret=SECRET), encoding="utf-8")
    report = tmp_path / f"report.{fmt}"
    result = _invoke(["test", str(scenario), "-f", fmt, "-o", str(report)])
    assert result.exit_code == 1, result.output
    written = report.read_text()
    assert "expected call lookup" in written and "expected the reply to contain" in written
    assert "[CARD]" in written and "[REDACTED]" in written
    for text, where in ((result.stdout, "stdout"), (result.stderr, "stderr"), (written, fmt)):
        clean(text, where)
    server_got_it(server)


def test_voice_call_output_and_transcript(
    tmp_path: Path, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`voicetools call --input` with fake speech models: the caller's words (the STT output),
    the tool call, its result and the agent's spoken reply are all printed and transcribed."""
    import numpy as np

    from voicetools.audio.pcm import write_wav
    from voicetools.audio.vad import Stateless, energy_probability
    from voicetools.runtime.voice_session import SpeechStack
    from voicetools.testing.fake_audio import FakeSTT, FakeTTS, tone

    llm = _chat_llm()
    stt = FakeSTT(tones={440.0: f"my card is {CARD} and my key is {SECRET}"})
    speech = SpeechStack(stt, FakeTTS(), Stateless(energy_probability()), 0.0)
    monkeypatch.setattr("voicetools.runtime.session.build_llm", lambda *a, **k: llm)
    monkeypatch.setattr("voicetools.runtime.voice_session.load_speech", lambda *a, **k: speech)
    caller = tmp_path / "caller.wav"
    quiet = np.zeros(16_000, np.float32)
    write_wav(caller, np.concatenate([quiet, tone(440.0, 4.0), quiet, quiet, quiet]), 16_000)
    transcript = tmp_path / "call.jsonl"
    output = tmp_path / "call.wav"
    args = ["call", str(_agent(tmp_path, server)), "--input", str(caller), "--output", str(output)]
    result = _invoke([*args, "--fast", "--transcript", str(transcript)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in transcript.read_text().splitlines()]
    kinds = {r["type"] for r in records}
    assert {"user", "tool_call", "tool_result", "agent"} <= kinds, kinds
    clean(result.stdout, "call stdout")
    clean(result.stderr, "call stderr")
    clean(transcript.read_text(), "call transcript")
    server_got_it(server)
