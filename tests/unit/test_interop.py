"""`voicetools import` / `export`: every foreign shape, secrets, errors, and the round trip."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import CLEAN_AGENT, run_cli

from voicetools.errors import SpecError
from voicetools.spec.build import build_agent
from voicetools.spec.export import export_tools, to_openapi
from voicetools.spec.interop import import_tools
from voicetools.spec.lint import Severity, lint_document
from voicetools.spec.load import parse_document, read_document

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "tests" / "data" / "interop"
AGENT_FILES = sorted((ROOT / "agents").glob("*.yaml")) if (ROOT / "agents").is_dir() else []


def _import(name: str) -> tuple[dict[str, Any], list[str]]:
    path = SHAPES / name
    imported = import_tools(path.read_bytes(), path.stem, str(path))
    return imported.document, imported.notes


def _functions(name: str) -> dict[str, dict[str, Any]]:
    return {f.get("name", f.get("builtin")): f for f in _import(name)[0]["functions"]}


@pytest.mark.parametrize("shape", sorted(p.name for p in SHAPES.glob("*.json")))
def test_every_shape_imports_to_an_agent_without_errors(shape: str) -> None:
    document, _ = _import(shape)
    text = yaml.safe_dump(document, sort_keys=False)
    result = lint_document(parse_document(text, f"{shape}.yaml"))
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert errors == [], errors


def test_openai_chat_and_responses_shapes() -> None:
    chat = _functions("openai_chat.json")
    assert list(chat) == ["get_order_status", "book_appointment"]
    assert chat["get_order_status"]["mock"] == {"ok": True}
    assert chat["get_order_status"]["parameters"]["additionalProperties"] is False
    responses, notes = _import("openai_responses.json")
    assert [f["name"] for f in responses["functions"]] == ["create_task"]
    assert any("web_search_preview" in n for n in notes)


def test_retell_custom_function_keeps_endpoint_filler_and_timeout() -> None:
    fns = _functions("retell.json")
    check = fns["check_availability"]
    assert check["http"] == {"url": "https://booking.example.com/availability", "method": "POST"}
    assert check["speak_during_execution"] == "Let me look at the calendar."
    assert check["timeout_ms"] == 8000
    assert fns["end_call"] == {"builtin": "end_call"}
    assert fns["transfer_call"] == {"builtin": "transfer_call", "number": "+15550000000"}


def test_vapi_server_and_api_request_shapes() -> None:
    weather = _functions("vapi.json")["get_weather"]
    assert weather["http"]["url"] == "https://weather.example.com/tool"
    assert weather["speak_during_execution"] == "Checking the forecast..."
    assert weather["timeout_ms"] == 20000
    document, notes = _import("vapi_api_request.json")
    ticket = document["functions"][0]
    assert ticket["name"] == "create_support_ticket"
    assert ticket["http"]["method"] == "POST"
    assert ticket["http"]["headers"] == {
        "Authorization": "Bearer ${CREATE_SUPPORT_TICKET_API_KEY}",
        "X-Source": "voice",
    }
    assert ticket["parameters"]["required"] == ["issue"]
    assert ticket["timeout_ms"] == 30000
    assert any("renamed" in n for n in notes) and any("clamped" in n for n in notes)
    assert "sk_live" not in json.dumps(document)


def test_platform_api_url_secret_header_is_moved_to_env() -> None:
    balance = _functions("platform_api_url.json")["get_account_balance"]
    assert balance["http"]["method"] == "GET"
    assert balance["http"]["headers"] == {"X-Api-Key": "${GET_ACCOUNT_BALANCE_API_KEY}"}


def test_gemini_types_are_lowered_and_nullable_becomes_a_union() -> None:
    params = _functions("gemini.json")["list_tasks"]["parameters"]
    assert params["type"] == "object"
    assert params["properties"]["due_before"]["type"] == ["string", "null"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b'"just a string"', "expected a JSON list or object"),
        (b'[{"kind": "tool"}]', "unknown tool shape"),
        (b"[1, 2]", "tool 1 is a int"),
        (b"[]", "no functions found"),
    ],
)
def test_unreadable_input_is_a_spec_error(raw: bytes, message: str) -> None:
    with pytest.raises(SpecError, match=message) as caught:
        import_tools(raw, "x", "x.json")
    assert caught.value.location is not None and caught.value.location.line >= 1


def test_import_command_writes_a_file_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("import", str(SHAPES / "retell.json"), "-o", "agent.yaml")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "wrote agent.yaml (3 functions)" in result.stderr
    assert yaml.safe_load(Path("agent.yaml").read_text())["name"] == "retell"
    assert run_cli("validate", "agent.yaml").exit_code == 0
    again = run_cli("import", str(SHAPES / "retell.json"), "-o", "agent.yaml")
    assert again.exit_code == 2 and "--force" in again.stderr


def test_import_command_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("bad.json").write_text('{\n  "tools": [1,\n', encoding="utf-8")
    result = run_cli("import", "bad.json")
    assert result.exit_code == 2
    assert result.stderr.startswith("bad.json:3:1: not valid JSON")
    assert len(result.stderr.splitlines()) == 1
    assert run_cli("import", "missing.json").exit_code == 2


def test_export_command_targets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("agent.yaml").write_text(CLEAN_AGENT, encoding="utf-8")
    openai = json.loads(run_cli("export", "agent.yaml").stdout)
    assert openai[0]["type"] == "function" and openai[0]["function"]["name"] == "get_order_status"
    anthropic = json.loads(run_cli("export", "agent.yaml", "--target", "anthropic").stdout)
    assert set(anthropic[0]) == {"name", "description", "input_schema"}
    gemini = json.loads(run_cli("export", "agent.yaml", "-t", "gemini").stdout)
    declarations = gemini["function_declarations"]
    assert declarations[0]["parameters"]["properties"]["order_id"]["type"] == "string"
    assert "parameters" not in declarations[1]  # end_call takes no arguments
    assert run_cli("export", "agent.yaml", "-t", "cohere").exit_code == 2
    Path("broken.yaml").write_text("name: [\n", encoding="utf-8")
    broken = run_cli("export", "broken.yaml")
    assert broken.exit_code == 2 and broken.stderr.startswith("broken.yaml:")


def test_gemini_schema_conversion() -> None:
    dropped: set[str] = set()
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "a": {"type": ["integer", "null"]},
            "b": {"const": "x"},
            "c": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
            "d": {"type": "array", "items": {"type": "string", "$comment": "no"}},
        },
    }
    out = to_openapi(schema, dropped)
    assert out["properties"]["a"] == {"type": "integer", "nullable": True}
    assert out["properties"]["b"] == {"enum": ["x"]}
    assert "anyOf" in out["properties"]["c"]
    assert out["properties"]["d"]["items"] == {"type": "string"}
    assert dropped == {"additionalProperties", "$comment"}


def _roundtrip_sources(tmp_path: Path) -> list[Path]:
    clean = tmp_path / "clean.yaml"
    clean.write_text(CLEAN_AGENT, encoding="utf-8")
    return [clean, *AGENT_FILES]


@pytest.mark.parametrize("target", ["openai", "anthropic"])
def test_export_then_import_round_trips(tmp_path: Path, target: str) -> None:
    for source in _roundtrip_sources(tmp_path):
        agent = build_agent(read_document(source))
        exported = json.dumps(export_tools(agent, target))
        back = import_tools(exported, source.stem).document["functions"]
        expected = [
            (f.name, f.description, export_tools(agent, "openai")[i]["function"]["parameters"])
            for i, f in enumerate(agent.functions)
        ]
        assert [(f["name"], f["description"], f["parameters"]) for f in back] == expected, source


def test_gemini_round_trip_keeps_names_and_descriptions(tmp_path: Path) -> None:
    for source in _roundtrip_sources(tmp_path):
        agent = build_agent(read_document(source))
        back = import_tools(json.dumps(export_tools(agent, "gemini")), "x").document["functions"]
        assert [(f["name"], f["description"]) for f in back] == [
            (f.name, f.description) for f in agent.functions
        ]
