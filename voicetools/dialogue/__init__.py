"""The conversation: one engine that turns what the caller said into events to speak and act on.

Subpackages: `decision` (choosing the action: router, prompt format, generation), `grammar`
(JSON Schema to GBNF), `checks` (a call checked against the conversation). What the runtime,
the CLI and scenarios use is re-exported here.
"""

from voicetools.dialogue.checks.side_effects import SAY_AGAIN
from voicetools.dialogue.clock import Clock, MonotonicClock
from voicetools.dialogue.contract import Collaborators, EngineOptions
from voicetools.dialogue.conversation import CUT_MARK, AskedFor, Conversation, ToolRunning
from voicetools.dialogue.decision.decider import Decider, DecisionRecord
from voicetools.dialogue.decision.generation import GenerationOptions
from voicetools.dialogue.decision.prompt import Message
from voicetools.dialogue.decision.route import RouteDecider
from voicetools.dialogue.engine import Engine
from voicetools.dialogue.events import (
    ActionTaken,
    CallEnded,
    Event,
    Say,
    ToolCalled,
    ToolReturned,
    TurnStats,
    UserTurn,
)
from voicetools.dialogue.expected import AnswerKind, ExpectedAnswer
from voicetools.dialogue.filler import DEFAULT_PHRASES, FillerPlanner
from voicetools.dialogue.head_start import HeadStart
from voicetools.dialogue.turn_end import TurnEnd

__all__ = [
    "CUT_MARK",
    "DEFAULT_PHRASES",
    "SAY_AGAIN",
    "ActionTaken",
    "AnswerKind",
    "AskedFor",
    "CallEnded",
    "Clock",
    "Collaborators",
    "Conversation",
    "DecisionRecord",
    "Decider",
    "Engine",
    "EngineOptions",
    "Event",
    "ExpectedAnswer",
    "FillerPlanner",
    "GenerationOptions",
    "HeadStart",
    "Message",
    "MonotonicClock",
    "RouteDecider",
    "Say",
    "ToolCalled",
    "ToolReturned",
    "ToolRunning",
    "TurnEnd",
    "TurnStats",
    "UserTurn",
]
