"""H106 and addresses: a URL or a path in a query value (or a header) is not a literal secret.

A token in the query still is, and so is a password or a token inside such an address.
The fixtures tests/data/valid/http_query_addresses.yaml and invalid/http_secrets.yaml hold
the same cases in agent files; this table adds more spellings.
"""

from __future__ import annotations

import pytest

from voicetools.spec.lint import lint_document
from voicetools.spec.load import parse_document
from voicetools.spec.rules.http_secrets import is_location

AGENT = """\
version: 1
name: query-values
instructions: You forward callers' requests to the right service.
functions:
  - name: send_request
    description: Send the caller's request on to the service that handles it.
    parameters: {{type: object, properties: {{}}}}
    http:
      url: "{url}"
      headers: {{X-Origin: "{header}"}}
"""

NOT_SECRETS = [
    "https://api.example.com/x?to=http://localhost:8000/x",
    "https://auth.example.com/a?redirect_uri=https://app.example.com/oauth/callback2",
    "https://auth.example.com/a?redirect_uri=https%3A%2F%2Fapp.example.com%2Foauth%2Fcb9Zq",
    "https://jobs.example.com/run?callback=/a/b/c",
    "https://jobs.example.com/run?next=%2Fhome",
    "https://jobs.example.com/run?next=/orders/9f86d081884c7d659a2feaa0c55ad015",
    "https://jobs.example.com/run?return_to=../settings/profile7Q",
    "https://sso.example.com/r?token_url=https://sso.example.com/oauth2/v1/token7Q9x",
    "https://sso.example.com/r?auth_callback=https://app.example.com/cb&state=xyz",
    "https://api.example.com/forecast?city={city}&units=metric",
    "https://api.example.com/forecast?appid=${WEATHER_API_KEY}",
]
SECRETS = [
    "https://api.example.com/s?session=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "https://api.example.com/s?api_key=sk-live-abc123",
    "https://api.example.com/s?next=/home&api_key=sk-live-abc123",
    "https://api.example.com/s?token=abc",
    "https://api.example.com/s?key=abc123",
    "https://api.example.com/s?x=Zx81kQ0pLm7Tn2Rv5Wc9Yb3H",
    "https://relay.example.com/s?to=https://bot:hunter2@warehouse.example.com/orders",
    "https://auth.example.com/d?redirect_uri=https://app.example.com/cb%3Faccess_token%3Dabc123",
    "https://jobs.example.com/run?callback=/hook%3Fapi_key%3Dsk-live-abc123",
]


def _h106(url: str, header: str = "voicetools") -> list[str]:
    doc = parse_document(AGENT.format(url=url, header=header), "agent.yaml")
    return [f.message for f in lint_document(doc).findings if f.code == "H106"]


@pytest.mark.parametrize("url", NOT_SECRETS)
def test_an_address_in_the_query_is_not_a_secret(url: str) -> None:
    assert _h106(url) == []


@pytest.mark.parametrize("url", SECRETS)
def test_a_secret_in_the_query_is_still_found(url: str) -> None:
    assert len(_h106(url)) == 1
    assert "holds a literal secret" in _h106(url)[0]


@pytest.mark.parametrize(
    ("header", "found"),
    [
        ("https://app.example.com/settings/profile8Zk3Pq", False),
        ("/callbacks/orders/v2", False),
        ("https://app.example.com/cb?token=abc123", True),
        ("https://user:pa55word@app.example.com/", True),
        ("a8Fk2LmQ9zR7tW3xY6vB1nC4", True),
    ],
)
def test_a_header_holding_an_address(header: str, found: bool) -> None:
    assert bool(_h106("https://api.example.com/x", header)) is found


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://localhost:8000/x", True),
        ("/a/b/c", True),
        ("./a", True),
        ("../a", True),
        ("sk-live-abc123", False),
        ("ab12/Cd34Ef56Gh78Ij90Kl", False),
        ("mailto:someone@example.com", False),
    ],
)
def test_is_location(value: str, expected: bool) -> None:
    assert is_location(value) is expected
