"""The session's secrets: which `${NAME}`s an agent sends, checked, and the one `Redactor`
built from their values for the whole session (every sink masks with it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from voicetools.spec.model import Agent
from voicetools.tools.redact import Redactor
from voicetools.tools.request import env_names
from voicetools.tools.secret_values import SecretRefused, secret_problem


def secret_names(agent: Agent) -> tuple[str, ...]:
    """Every `${NAME}` in the agent's HTTP tools (URL and headers), in order of appearance."""
    found: dict[str, None] = {}
    for function in agent.functions:
        if function.http is not None:
            for text in (function.http.url, *function.http.headers.values()):
                # The same parser that fills them, so every secret sent is also redacted.
                found.update(dict.fromkeys(env_names(text)))
    return tuple(found)


def checked_values(names: Iterable[str], env: Mapping[str, str]) -> list[str]:
    """The set values of `names`; `SecretRefused` for the first one that is unsafe to send.
    Unset ones are skipped here: the call that needs one is refused when it is made."""
    values = []
    for name in names:
        value = env.get(name, "")
        if not value:
            continue
        problem = secret_problem(name, value)
        if problem:
            raise SecretRefused(problem)
        values.append(value)
    return values


def session_redactor(agent: Agent, env: Mapping[str, str]) -> Redactor:
    """The one redactor of a session with `agent`: its secrets as `env` holds them now."""
    return Redactor(checked_values(secret_names(agent), env))
