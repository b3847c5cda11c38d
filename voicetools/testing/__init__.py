"""Fakes for testing an agent without models or a sound card; the library's own tests use them.

- `ScriptedLLM` (scripted_llm.py): a fake model scripted by the caller's words. A rule says
  "for this caller line, call X with arguments Y" (`on_call`) or "reply Z" (`add`); it answers
  the router's action scoring, the arguments request and plain generation from that one script,
  and records every prompt, grammar and warm-up it was given.
- `FakeSTT` (fake_audio.py): transcripts from a queue, from a table of tones (a test caller
  "speaks" a sine of a given pitch) or from any function of the samples.
- `FakeTTS` (fake_audio.py): audio whose length depends only on the text (a fixed speaking
  rate), silent or a sine, so timings in a voice test are exact.
- `tone` and `dominant_hz`: make a caller's tone and tell whose voice a piece of audio is.

A turn of an agent's engine on the scripted model, in a coroutine (`Engine` from
voicetools.dialogue.engine, `Say` from voicetools.dialogue.events, `ToolRunner` from
voicetools.tools.runner, `load_agent` from voicetools.spec, `date` from datetime):

    llm = ScriptedLLM().on_call("order 4521", "get_order_status", order_id="4521")
    llm.add("tool_response", "Your order has shipped.")
    agent = load_agent("agents/order_support.yaml")
    engine = Engine(agent, llm, ToolRunner(agent, mock_all=True), today=date.today())
    said = [e.text async for e in engine.turn("Where is order 4521?") if isinstance(e, Say)]

Nothing in the product imports this package, so the fakes can know the prompt format.
"""

from voicetools.testing.fake_audio import FakeSTT, FakeTTS, dominant_hz, tone
from voicetools.testing.scripted_llm import UNLIKELY, ScriptedLLM

__all__ = ["UNLIKELY", "FakeSTT", "FakeTTS", "ScriptedLLM", "dominant_hz", "tone"]
