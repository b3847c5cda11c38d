"""The caller's answer to a pending confirmation question, weighed in code.

A yes runs the exact call that was read back; a no drops it (and its frame), and a request
that follows the no ("No, don't do that, transfer me") goes on to the model; a question or an
unclear answer gets the question once more, a second one drops it; a change that corrects the
call's frame gets a new question with the new values (`frames.correct`); any other change goes
on to the model.
"""

from __future__ import annotations

from voicetools.dialogue.events import Say
from voicetools.dialogue.frames.correct import corrected
from voicetools.dialogue.turn_state import TurnState
from voicetools.language import refused_then
from voicetools.tools import Answer, ToolCall

DECLINED = "Okay, I won't do that. Is there anything else I can help with?"
REASK = "Sorry, I need a yes or no: {question}"
"""The pending question again, after an answer that was neither (a question, or unclear)."""
DROPPED = "OK, I won't {action} for now."
"""Said when the second answer in a row was neither yes nor no: nothing runs."""


def answer_pending(turn: TurnState, text: str) -> ToolCall | Say | None:
    """The approved call to run (a yes), the corrected call to ask about, what to say instead
    (a no, a repeat of the question, or giving up on it), or None to go on to the model
    (nothing pending, or a change the frame cannot take)."""
    conversation = turn.conversation
    pending = conversation.pending
    if pending is None:
        return None
    answer = turn.parts.runner.caller_said(text)
    if answer is Answer.CONFIRMED:
        return ToolCall(pending.function, dict(pending.arguments), conversation.next_call_id())
    if answer is Answer.DENIED:
        conversation.drop_frame()
        # "No, don't do that, transfer me to a technician": the new request is for the model
        return None if refused_then(text) else turn.say(DECLINED)
    if answer is Answer.REPEATED:
        return turn.say(REASK.format(question=pending.question), "confirm")
    if answer is Answer.DROPPED:
        conversation.drop_frame()
        return turn.say(DROPPED.format(action=pending.action or "do that"))
    if answer is Answer.CHANGED:
        return corrected(turn, pending, text)
    return None
