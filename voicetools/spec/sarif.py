"""SARIF 2.1.0 output, the format GitHub code scanning and most CI dashboards read.

Kept apart from `report.py` because it carries the whole rule catalogue as metadata. Only the
parts of the standard a viewer needs are written: the tool driver with its rules, and one
result per finding with a physical location. Spec: https://docs.oasis-open.org/sarif/sarif/v2.1.0/
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from voicetools import __version__
from voicetools.spec.lint import LintResult, Severity, catalog, iter_findings

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://voicetools.dev"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """Relative paths stay relative (GitHub resolves them in the checkout); others: file: URIs."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri()
    return quote(PurePosixPath(*p.parts).as_posix() if p.parts else path, safe="/")


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "defaultConfiguration": {"level": _LEVEL[info.severity]},
        }
        for info in sorted(catalog().values(), key=lambda i: i.code)
    ]


class SarifReporter:
    """One run, the rule catalogue as `tool.driver.rules`, one result per finding."""

    def document(self, results: Sequence[LintResult]) -> dict[str, Any]:
        rules = _rules()
        index = {rule["id"]: i for i, rule in enumerate(rules)}
        sarif_results = []
        for _, f in iter_findings(results):
            text = f"{f.message} ({f.hint})" if f.hint else f.message
            item: dict[str, Any] = {
                "ruleId": f.code,
                "level": _LEVEL[f.severity],
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(f.location.path)},
                            "region": {
                                "startLine": max(1, f.location.line),
                                "startColumn": max(1, f.location.col),
                            },
                        }
                    }
                ],
            }
            if f.code in index:
                item["ruleIndex"] = index[f.code]
            sarif_results.append(item)
        return {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "voicetools",
                            "version": __version__,
                            "informationUri": INFORMATION_URI,
                            "rules": rules,
                        }
                    },
                    "results": sarif_results,
                }
            ],
        }

    def render(self, results: Sequence[LintResult]) -> str:
        return json.dumps(self.document(results), indent=2, ensure_ascii=False) + "\n"
