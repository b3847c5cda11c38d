"""The system instructions of one session: the agent's own, plus what a voice call needs.

Kept stable for the whole session (it is the cached prompt prefix), so it holds the session's
date but nothing that changes from turn to turn.
"""

from __future__ import annotations

from datetime import date

from voicetools.spec.model import Agent

VOICE_RULES = (
    "This is a phone call: answer in one or two short spoken sentences, with no lists, "
    "markdown or emoji. Call a function only when the caller asks for something it does; "
    "for greetings, thanks and small talk, just reply. Never make up order numbers, names, "
    "dates or other details: use only what the caller said, and ask when something is missing."
)


def session_instructions(agent: Agent, today: date) -> str:
    """The agent's instructions, the date, the known variables and the voice rules."""
    parts = [agent.instructions.strip(), f"Today is {today:%A}, {today.isoformat()}."]
    if agent.variables:
        known = ", ".join(f"{name} = {value}" for name, value in agent.variables.items())
        parts.append(f"Known details of this call: {known}.")
    parts.append(VOICE_RULES)
    return "\n\n".join(parts)
