"""The report page in a real browser: headless Chromium (Debian's `chromium` package) parses it,
lays it out and draws it; the test checks structure, not pixels.

- `--dump-dom`: the DOM Chromium built has a body per turn, a span per tool call, the barge-in,
  the embedded recording, and no script or image element, although the caller's words in the
  transcript hold both as text.
- `--screenshot`: a PNG of the window's size that is not blank, where the colour of each kind
  of span appears, the lanes are stacked caller, agent, tools, events, and the tool call is
  drawn to the right of the caller's first words (it came two seconds later).

Skips, saying so, when Chromium is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import wave
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from png_support import png_size, read_png, where_colour

from voicetools.report.page_style import COLORS

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
VOICE = ROOT / "tests" / "data" / "report" / "voice_call.jsonl"
HOSTILE = '<script>document.title="pwned"</script><img src=x> 4521?'
WINDOW = (1280, 900)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return found


def _browser(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        *args,
        page.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The voice call's page, made by the command, the caller's first words made hostile."""
    folder = tmp_path_factory.mktemp("report")
    records = [json.loads(line) for line in VOICE.read_text(encoding="utf-8").splitlines()]
    first = next(r for r in records if r["type"] == "user")
    first["text"] = HOSTILE
    transcript = folder / "call.jsonl"
    transcript.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    audio = folder / "call.wav"
    with wave.open(str(audio), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(8000 * 2))
    target = folder / "call.html"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "voicetools", "report", str(transcript), "-o", str(target)]
    made = subprocess.run(
        [*command, "--audio", str(audio)], capture_output=True, text=True, env=env, timeout=120
    )
    assert made.returncode == 0, made.stderr
    return target


class Elements(HTMLParser):
    """(tag, attributes) of every element of the DOM Chromium dumped."""

    def __init__(self, dom: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []
        self.feed(dom)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))

    def count(self, tag: str, **attrs: str) -> int:
        wanted = {k.replace("_", "-"): v for k, v in attrs.items()}
        return sum(
            1
            for name, have in self.found
            if name == tag and all(have.get(k) == v for k, v in wanted.items())
        )


def test_the_dom_chromium_builds_has_the_calls_structure(page: Path, tmp_path: Path) -> None:
    dom = _browser(page, tmp_path / "profile", "--dump-dom").stdout
    found = Elements(dom)
    assert found.count("tbody", data_kind="turn") == 6
    assert found.count("tr", data_kind="latency") == 4
    assert found.count("div", data_kind="tool") == 2
    assert found.count("div", data_kind="barge_in") == 1
    assert found.count("div", data_kind="caller") == 5
    assert found.count("audio", data_kind="recording") == 1
    assert found.count("script") == 0 and found.count("img") == 0
    assert "<title>Call report: call.jsonl</title>" in dom  # not "pwned": nothing ran
    assert "&lt;script&gt;document.title" in dom  # the caller's words, as text


def test_the_screenshot_shows_the_lanes_in_order(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "call.png"
    _browser(page, tmp_path / "profile", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert png_size(data) == WINDOW
    pixels = read_png(data)
    assert len(np.unique(pixels.reshape(-1, 3)[::7], axis=0)) > 20  # text and spans, not blank
    top: dict[str, int] = {}
    left: dict[str, int] = {}
    for kind in ("caller", "agent", "filler", "tool", "barge_in"):
        at = where_colour(pixels, COLORS[kind])
        assert len(at) >= 40, f"no {kind} span drawn"
        top[kind] = int(at[:, 0].min())
        in_lane = at[at[:, 0] < top[kind] + 20]  # the lane's own row, not the legend below
        left[kind] = int(in_lane[:, 1].min())
    assert top["caller"] < top["agent"] < top["tool"] < top["barge_in"]
    assert abs(top["filler"] - top["agent"]) <= 2  # filler is drawn in the agent's lane
    # 40 px a second: the tool call (6.02 s) is ~80 px right of the caller's words (4.0 s)
    assert 60 <= left["tool"] - left["caller"] <= 100
