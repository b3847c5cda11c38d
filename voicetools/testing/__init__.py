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

Run an agent's engine on the scripted model:

    llm = ScriptedLLM(default="Anything else?").on_call("order 4521", "get_order_status",
                                                        order_id="4521")
    engine = Engine(load_agent("order_support.yaml"), llm, ToolRunner(agent, mock=True))
    reply = await engine.respond("Where is order 4521?")
    assert llm.requests and "4521" in reply

Nothing in the product imports this package, so the fakes can know the prompt format.
"""

from voicetools.testing.fake_audio import FakeSTT, FakeTTS, dominant_hz, tone
from voicetools.testing.scripted_llm import UNLIKELY, ScriptedLLM

__all__ = ["UNLIKELY", "FakeSTT", "FakeTTS", "ScriptedLLM", "dominant_hz", "tone"]
