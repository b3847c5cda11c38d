"""Lint rules, one module per area. Importing this package registers them all.

Codes: Y yaml, S structure, F function names and descriptions, P parameters, H http,
PY python handlers, B built-ins, V voice manners, M mocks, and portability rules per target:
OAI openai, ANT anthropic, GEM gemini, LLA llama.cpp grammars.
"""

from voicetools.spec.rules import (  # noqa: F401 - imported for their @rule registrations
    builtins,
    functions,
    http_rules,
    http_secrets,
    parameters,
    python_handlers,
    structure,
    target_anthropic,
    target_gemini,
    target_llama,
    target_openai,
    voice,
    yaml_rules,
)
