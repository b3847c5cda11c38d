"""`voicetools import` never copies a literal credential and never merges two into one name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import put, run_cli

from voicetools.spec.interop import import_tools

TOKEN_A = "sk-live-AAAA1111bbbb2222cccc"
TOKEN_B = "sk-live-BBBB3333dddd4444eeee"
KEY_C = "key-CCCC5555ffff6666"
TOOLS: list[dict[str, Any]] = [
    {
        "name": "get_balance",
        "description": "The balance of an account.",
        "url": f"https://bank.example.com/balance?api_key={KEY_C}&to=http://localhost:8000/x",
        "method": "GET",
        "headers": {"Authorization": f"Bearer {TOKEN_A}", "X-Source": "voice"},
    },
    {
        "name": "GET-BALANCE",  # renamed to GET_BALANCE: the same env prefix, another token
        "description": "The balance, again.",
        "url": "https://other.example.com/balance",
        "headers": {"Authorization": f"Bearer {TOKEN_B}"},
    },
    {
        "name": "two_keys",
        "description": "Sends two different credentials.",
        "url": "https://user:hunter2pass@api.example.com/x?token=tok-Z9y8x7w6v5&city={city}",
        "headers": {
            "X-Api-Key": "apikey-one-111111",
            "X-Goog-Api-Key": "apikey-two-222222",
            "X-Trace": "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1",  # random-looking: a token anyway
            "Cookie": "session=abcdef0123456789",
        },
    },
    {
        "name": "same_token",
        "description": "Uses the first tool's token again.",
        "url": "https://bank.example.com/other",
        "headers": {"Authorization": f"Basic {TOKEN_A}"},
    },
    {
        "name": "templated",
        "description": "Already uses the environment.",
        "url": "https://bank.example.com/t?key=${BANK_KEY}",
        "headers": {"Authorization": "Bearer ${BANK_TOKEN}", "X-User": "{user_id}"},
    },
]
LITERALS = (
    TOKEN_A,
    TOKEN_B,
    KEY_C,
    "hunter2pass",
    "tok-Z9y8x7w6v5",
    "apikey-one-111111",
    "apikey-two-222222",
    "Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1",
    "abcdef0123456789",
)


def _imported() -> tuple[dict[str, dict[str, Any]], list[str], str]:
    result = import_tools(json.dumps(TOOLS), "bank")
    text = json.dumps(result.document)
    return {f["name"]: f for f in result.document["functions"]}, result.notes, text


def _env(text: str) -> list[str]:
    return re.findall(r"\$\{([A-Z0-9_]+)\}", text)


def test_no_literal_credential_is_copied() -> None:
    _, _, text = _imported()
    for literal in LITERALS:
        assert literal not in text


def test_each_distinct_credential_gets_its_own_name() -> None:
    functions, _, _ = _imported()
    first = _env(json.dumps(functions["get_balance"]["http"]))
    second = _env(json.dumps(functions["GET_BALANCE"]["http"]))
    assert len(first) == 2 and len(set(first)) == 2  # URL key and bearer token differ
    assert len(second) == 1 and second[0] not in first
    both = _env(json.dumps(functions["two_keys"]["http"]))
    assert len(both) == 5 and len(set(both)) == 5  # URL token and four headers


def test_the_same_value_keeps_one_name_and_templates_are_kept() -> None:
    functions, _, _ = _imported()
    bearer = functions["get_balance"]["http"]["headers"]["Authorization"]
    basic = functions["same_token"]["http"]["headers"]["Authorization"]
    assert bearer.startswith("Bearer ${") and basic.startswith("Basic ${")
    assert _env(bearer) == _env(basic)
    assert functions["templated"]["http"] == {
        "url": "https://bank.example.com/t?key=${BANK_KEY}",
        "method": "POST",
        "headers": {"Authorization": "Bearer ${BANK_TOKEN}", "X-User": "{user_id}"},
    }


def test_urls_keep_places_and_lose_user_info() -> None:
    functions, notes, _ = _imported()
    url = functions["get_balance"]["http"]["url"]
    assert url.startswith("https://bank.example.com/balance?api_key=${")
    assert url.endswith("&to=http://localhost:8000/x")  # a URL in a query is not a secret
    two = functions["two_keys"]["http"]["url"]
    assert two.startswith("https://api.example.com/x?token=${") and two.endswith("&city={city}")
    assert any("user name and password" in n for n in notes)


def test_notes_name_every_variable_to_set_and_no_value() -> None:
    functions, notes, text = _imported()
    joined = "\n".join(notes)
    for name in set(_env(text)) - {"BANK_KEY", "BANK_TOKEN"}:
        assert f"set {name}" in joined
    for literal in LITERALS:
        assert literal not in joined


def test_the_cli_writes_references_and_says_which_to_set(tmp_path: Path) -> None:
    source = put(tmp_path, "tools.json", json.dumps(TOOLS))
    out = tmp_path / "agent.yaml"
    result = run_cli("import", str(source), "-o", str(out))
    assert result.exit_code == 0, result.output
    written = out.read_text()
    document = yaml.safe_load(written)
    assert len(document["functions"]) == len(TOOLS)
    for literal in LITERALS:
        assert literal not in written and literal not in result.output
    for name in set(_env(written)) - {"BANK_KEY", "BANK_TOKEN"}:
        assert f"set {name}" in result.stderr


WEBHOOK_KEY = "Zx9Qw8Er7Ty6Ui5Op4As3Df2"
VAPI_SECRET = "vapi-shared-secret-123"
SCHEMA_TOKEN = "sk-live-DDDD7777gggg8888hhhh"


def test_webhook_paths_vapi_secrets_and_schema_literals() -> None:
    tools = [
        {
            "type": "function",
            "function": {
                "name": "notify",
                "description": "Post to the team channel.",
                "parameters": {
                    "type": "object",
                    "properties": {
                        "api_key": {"type": "string", "default": "abc-short"},
                        "auth": {"type": "string", "enum": [f"Bearer {SCHEMA_TOKEN}"]},
                        "blob": {"type": "string", "examples": [SCHEMA_TOKEN]},
                        "city": {"type": "string", "enum": ["Paris", "Rome"], "default": "Rome"},
                        "tags": {"type": "array", "items": {"type": "string", "const": "news"}},
                    },
                },
            },
            "server": {
                "url": f"https://hooks.example.com/services/T0001/B0001/{WEBHOOK_KEY}",
                "secret": VAPI_SECRET,
            },
        }
    ]
    result = import_tools(json.dumps(tools), "team")
    text = json.dumps(result.document)
    for literal in (WEBHOOK_KEY, VAPI_SECRET, SCHEMA_TOKEN, "abc-short"):
        assert literal not in text and literal not in "\n".join(result.notes)
    function = result.document["functions"][0]
    url, headers = function["http"]["url"], function["http"]["headers"]
    assert url.startswith("https://hooks.example.com/services/T0001/B0001/${")
    assert list(headers) == ["X-Vapi-Secret"] and headers["X-Vapi-Secret"].startswith("${")
    assert len(set(_env(text))) == 2
    properties = function["parameters"]["properties"]
    assert properties["city"] == {"type": "string", "enum": ["Paris", "Rome"], "default": "Rome"}
    assert properties["tags"]["items"] == {"type": "string", "const": "news"}
    assert properties["api_key"] == {"type": "string"} and properties["auth"] == {"type": "string"}
    assert sum("parameter" in n for n in result.notes) == 3


@pytest.mark.parametrize(
    "token",
    [
        "sk-proj-abcdefghijklmnop",
        "sk_test_aaaabbbbccccdddd",
        "xoxb-1111-2222-aaaabbbb",
        "ghp_aaaabbbbccccddddeeeeffff0000",
        "AKIAABCDEFGHIJKLMNOP",
        "AIzaSyA-aaaabbbbccccddddeeeeffff",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0",
    ],
)
@pytest.mark.parametrize("where", ["header", "query", "path"])
def test_well_known_key_shapes_are_moved_wherever_they_sit(token: str, where: str) -> None:
    url = "https://api.example.com/v1/run"
    headers = {"X-Custom": "plain"}
    if where == "header":
        headers["X-Custom"] = token
    elif where == "query":
        url += f"?q={token}"
    else:
        url += f"/{token}/go"
    tools = [{"name": "t", "description": "d", "url": url, "headers": headers}]
    result = import_tools(json.dumps(tools), "shapes")
    text = json.dumps(result.document)
    assert token not in text and _env(text) == ["T_API_KEY"]
    assert any("set T_API_KEY" in note for note in result.notes)
