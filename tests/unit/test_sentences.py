"""One sentence splitter (voicetools/language/sentences.py) for streamed replies and TTS text."""

from __future__ import annotations

from voicetools.language import complete_sentences, sentence_pieces

EXAMPLE = "I booked you with Dr. Smith at 3.5 pm."


def test_no_split_after_a_title_or_inside_a_decimal() -> None:
    assert sentence_pieces(EXAMPLE) == [EXAMPLE]
    assert complete_sentences(EXAMPLE + " Anything else?") == ([EXAMPLE], "Anything else?")


def test_streaming_and_whole_text_agree_on_where_sentences_end() -> None:
    text = 'No. 5 is ready. He said "fine." No. I checked, e.g. twice! Done? Yes'
    done, rest = complete_sentences(text)
    assert done == ["No. 5 is ready.", 'He said "fine."', "No.", "I checked, e.g. twice!", "Done?"]
    assert rest == "Yes"
    assert sentence_pieces(text) == [*done, rest]


def test_a_stream_waits_at_an_end_that_may_continue() -> None:
    assert complete_sentences("It costs 3.") == ([], "It costs 3.")
    assert complete_sentences("It costs 3.5 dollars. ") == (["It costs 3.5 dollars."], "")
    assert complete_sentences("Ask for No. ") == ([], "Ask for No. ")
    assert complete_sentences("Ask for No. 5. ") == (["Ask for No. 5."], "")
    streamed: list[str] = []
    rest = ""
    for piece in ["Dr", ". Smith", " sees you at 3", ".5 pm", ". Bye", "!"]:
        done, rest = complete_sentences(rest + piece)
        streamed.extend(done)
    assert streamed == ["Dr. Smith sees you at 3.5 pm."]
    assert rest == "Bye!"


def test_whole_text_splits_lines_and_long_sentences() -> None:
    assert sentence_pieces("First line\nSecond. Third") == ["First line", "Second.", "Third"]
    assert sentence_pieces("  ... \n - ") == []
    long = ", ".join(["a clause of some words"] * 20) + "."
    pieces = sentence_pieces(long, max_chars=100)
    assert len(pieces) > 1 and all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces) == long
