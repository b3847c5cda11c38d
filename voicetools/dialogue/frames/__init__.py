"""Slot frames: the arguments of one chosen function, gathered over several caller turns.

`frame` (the immutable state), `extract` (typed values read by code from a caller line),
`sources` (values from the agent's variables and earlier tool results), `question` (the one
question for what is still missing), `steps` (what a turn does with the frame).
"""

from voicetools.dialogue.frames.frame import IDLE_LIMIT, Filled, Frame, Source

__all__ = ["IDLE_LIMIT", "Filled", "Frame", "Source"]
