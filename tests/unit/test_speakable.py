"""Text cleaned for a voice: markup, links, emoji, identifiers, amounts; sentence splitting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voicetools.audio.speakable import speakable, spell
from voicetools.language import sentence_pieces


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Your order **#4521** has shipped 🚚!", "Your order number 4 5 2 1 has shipped!"),
        ("Order 4521 is *out for delivery*.", "Order 4 5 2 1 is out for delivery."),
        ("Account 12345678.", "Account 1 2 3 4 5 6 7 8."),
        ("Reference A-4521-X", "Reference A, 4 5 2 1, X"),
        ("Call +1 (555) 123-4567.", "Call plus 1, 5 5 5, 1 2 3, 4 5 6 7."),
        ("or 555-987-6543", "or 5 5 5, 9 8 7, 6 5 4 3"),
        ("It costs $12.50", "It costs 12 dollars and 50 cents"),
        ("$1,250 or $12000 or $1", "1,250 dollars or 12,000 dollars or 1 dollar"),
        ("15% off & free", "15 percent off and free"),
        ("Delivery on 2026-11-20 at 14:30", "Delivery on November 20, 2026 at 14:30"),
        ("between 2:30 PM and 5pm, the 2nd try, 3.5 kg, in 2025", None),
        ("It is 20°C ™", "It is 20 degrees Celsius"),
        ("Track it at https://www.ups.com/track?id=1Z999.", "Track it at ups.com."),
        ("See [the docs](https://example.com/docs) <b>now</b>.", "See the docs now."),
        ("Run `get_order_status` now", "Run get order status now"),
        ("👍🏽👨‍👩‍👧", ""),
    ],
)
def test_speakable(text: str, spoken: str | None) -> None:
    assert speakable(text) == (text if spoken is None else spoken)


def test_url_modes() -> None:
    text = "Pay here: https://pay.example.com/x/1"
    assert speakable(text, urls="link") == "Pay here: the link I've sent you"
    assert speakable(text, urls="drop") == "Pay here:"


def test_markdown_lists_headings_and_tables_become_lines() -> None:
    text = "# Status\n- Item: `Widget`\n1. Qty: 3\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert speakable(text).splitlines() == [
        "Status",
        "Item: Widget",
        "Qty: 3",
        "quoted",
        "a, b",
        "1, 2",
    ]


def test_spell() -> None:
    assert spell("4521") == "4 5 2 1"
    assert spell("ab-12") == "A B, 1 2"


def test_sentences_split_for_streaming() -> None:
    text = "Dr. Smith said e.g. 3.5 kg is fine. In 2025 we grew! Really?\nNext line"
    assert sentence_pieces(text) == [
        "Dr. Smith said e.g. 3.5 kg is fine.",
        "In 2025 we grew!",
        "Really?",
        "Next line",
    ]
    assert sentence_pieces("  ... \n - ") == []
    long = ", ".join(["a clause of some words"] * 20) + "."
    pieces = sentence_pieces(long, max_chars=100)
    assert len(pieces) > 1 and all(len(p) <= 100 for p in pieces)
    assert " ".join(pieces) == long


@given(st.text(max_size=300))
def test_never_fails_and_leaves_no_markup(text: str) -> None:
    spoken = speakable(text)
    assert not any(c in spoken for c in "*_`#|<>")
    for sentence in sentence_pieces(spoken):
        assert sentence.strip() and any(c.isalnum() for c in sentence)
