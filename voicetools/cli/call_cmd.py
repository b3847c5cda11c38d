"""`voicetools call AGENT`: a voice call, from a recording (`--input/--output`) or the microphone.

The WAV mode is how CI and machines without a sound card test the whole loop: the caller's
recording is consumed at real-time pace (or `--fast`: idle time skipped, processing time kept),
and the call is written as it would have sounded. Each event is printed with its place on the
call's timeline, one latency line per turn, and a p50/p95 table at the end.
"""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from voicetools.cli.boundary import EXIT_FINDINGS, cli_errors, fail


class Channel(StrEnum):
    """The side of a stereo recording that is the caller (`audio.wav_in.CHANNELS`)."""

    MIX = "mix"
    LEFT = "left"
    RIGHT = "right"


def register(app: typer.Typer) -> None:
    app.command()(call)


def describe(record: dict[str, Any]) -> str | None:
    """One display line for a transcript record (None for records not shown)."""
    kind = record.get("type")
    at = record.get("audio_start", record.get("t"))
    stamp = "[  -.--]" if at is None else f"[{at:6.2f}]"
    if kind == "user":
        return f"{stamp} caller  {record['text']}"
    if kind in ("agent", "filler"):
        label = "filler" if kind == "filler" else "agent"
        note = " (interrupted)" if record.get("interrupted") else ""
        note += " (not spoken)" if record.get("silent") else ""
        return f"{stamp} {label:7s} {record['text']}{note}"
    if kind == "tool_call":
        return f"{stamp}         -> {record['name']} {json.dumps(record['arguments'])}"
    if kind == "tool_result":
        status = "ok" if record["ok"] else f"failed [{record['category']}]"
        result = json.dumps(record["result"], ensure_ascii=False)
        result = result if len(result) <= 120 else result[:117] + "..."
        took = f"{record['duration_ms']:.0f} ms"
        return f"{stamp}         <- {record['name']} {status} in {took}: {result}"
    if kind == "barge_in":
        return f"{stamp} ** caller barged in; heard: {record['heard']!r}"
    if kind == "ignored":
        dropped = str(record.get("text", ""))
        dropped = dropped if len(dropped) <= 60 else dropped[:57] + "..."
        heard = f" {dropped!r}" if dropped else ""
        return f"{stamp} (ignored{heard}: {record['reason']})"
    if kind == "error":
        return f"{stamp} !! turn failed: {record['message']}"
    if kind == "end":
        return f"{stamp} -- call ended ({record['reason']})"
    return None


def call(
    agent: Annotated[Path, typer.Argument(help="The agent file.")],
    input_wav: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", help="Caller recording: any WAV (PCM, float, mu-law, A-law)."
        ),
    ] = None,
    output_wav: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the call as it sounded.")
    ] = None,
    transcript: Annotated[
        Path | None, typer.Option("--transcript", help="One JSON event per line.")
    ] = None,
    report: Annotated[
        Path | None,
        typer.Option("--report", help="Draw the call as an HTML page (with --output's audio)."),
    ] = None,
    fast: Annotated[
        bool, typer.Option("--fast", help="Skip idle time (the timeline stays exact).")
    ] = False,
    stereo: Annotated[bool, typer.Option("--stereo", help="Caller left, agent right.")] = False,
    channel: Annotated[
        Channel,
        typer.Option(
            "--channel",
            help="Which side of a stereo --input is the caller (mix: both averaged); "
            "a mono file ignores it.",
        ),
    ] = Channel.MIX,
    phone: Annotated[
        bool | None,
        typer.Option(
            "--phone/--no-phone",
            help="Hear the caller through a phone line (8 kHz, 300-3400 Hz) and write --output "
            "at 8 kHz. Default: on for an 8 kHz or mu-law/A-law --input.",
            show_default=False,
        ),
    ] = None,
    mic: Annotated[bool, typer.Option("--mic", help="Live: microphone and speaker.")] = False,
    device: Annotated[
        str | None, typer.Option("--device", help="Sound device index or name part.")
    ] = None,
    echo_cancel: Annotated[
        bool,
        typer.Option(
            "--echo-cancel",
            help="With --mic on open speakers: take the agent's own voice out of the microphone.",
        ),
    ] = False,
    model: Annotated[str | None, typer.Option("--model", help="LLM name or GGUF path.")] = None,
    stt_model: Annotated[
        str | None, typer.Option("--stt-model", help="Whisper name or directory.")
    ] = None,
    voice: Annotated[str | None, typer.Option("--voice", help="Piper name or .onnx.")] = None,
    mock_tools: Annotated[
        bool, typer.Option("--mock-tools", help="Answer every call with its mock.")
    ] = False,
    min_silence_ms: Annotated[
        float, typer.Option("--min-silence-ms", help="Silence that ends a caller turn.")
    ] = 500.0,
    preempt_ms: Annotated[
        float,
        typer.Option(
            "--preempt-ms",
            help="Silence after which STT and the model start early, discarded if the caller "
            "goes on (0: wait for --min-silence-ms).",
        ),
    ] = 200.0,
    turn_end: Annotated[
        bool,
        typer.Option(
            "--turn-end/--no-turn-end",
            help="End a turn at the --preempt-ms pause when its words sound finished, wait "
            "0.9 s when they do not (never when digits are expected).",
        ),
    ] = True,
    silence_s: Annotated[
        float, typer.Option("--silence-s", help="Silence before 'Are you still there?'.")
    ] = 10.0,
    today: Annotated[str | None, typer.Option("--today", help="YYYY-MM-DD.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Sampling seed.")] = 0,
) -> None:
    """Call an agent by voice: a caller recording in, the call out; or live with --mic."""
    import asyncio

    from voicetools.errors import BackendError, UsageError

    if mic == (input_wav is not None):
        fail("give either --mic or --input caller.wav (with --output call.wav)")
    if input_wav is not None and output_wav is None:
        fail("--input needs --output call.wav")
    if mic and phone:
        fail("--phone applies to an --input recording, not to --mic")
    if mic:
        from voicetools.audio.devices import pick_device

        try:  # before loading any model: no sound card is the common case, say so at once
            pick_device(device, "input")
            pick_device(device, "output")
        except BackendError as exc:
            typer.echo(f"voicetools: {exc}", err=True)
            raise typer.Exit(EXIT_FINDINGS) from None
    with cli_errors():
        try:
            session_date = date.fromisoformat(today) if today else None
        except ValueError:
            raise UsageError(f"--today must be YYYY-MM-DD, not {today!r}") from None
        asyncio.run(
            _run(
                agent,
                input_wav,
                output_wav,
                transcript,
                report=report,
                fast=fast,
                stereo=stereo,
                channel=channel.value,
                phone=phone,
                mic=mic,
                device=device,
                echo_cancel=echo_cancel,
                model=model,
                stt_model=stt_model,
                voice=voice,
                mock_tools=mock_tools,
                min_silence_ms=min_silence_ms,
                preempt_ms=preempt_ms,
                turn_end=turn_end,
                silence_s=silence_s,
                today=session_date,
                seed=seed,
            )
        )


async def _run(
    agent: Path,
    input_wav: Path | None,
    output_wav: Path | None,
    transcript: Path | None,
    *,
    report: Path | None,
    fast: bool,
    stereo: bool,
    channel: str,
    phone: bool | None,
    mic: bool,
    device: str | None,
    echo_cancel: bool,
    model: str | None,
    stt_model: str | None,
    voice: str | None,
    mock_tools: bool,
    min_silence_ms: float,
    preempt_ms: float,
    turn_end: bool,
    silence_s: float,
    today: date | None,
    seed: int,
) -> None:
    import asyncio

    from voicetools.audio.devices import open_output
    from voicetools.audio.pcm import write_wav
    from voicetools.audio.phone import phone_line
    from voicetools.audio.wav_in import PHONE_RATE
    from voicetools.backends.speech import STT_RATE
    from voicetools.cli.render import table
    from voicetools.runtime.call_clock import CallClock
    from voicetools.runtime.live_audio import Microphone, drain, play_track
    from voicetools.runtime.session import build_engine, engine_redactor
    from voicetools.runtime.transcript import TranscriptWriter
    from voicetools.runtime.voice_latency import summary_rows
    from voicetools.runtime.voice_loop import VoiceOptions
    from voicetools.runtime.voice_session import build_voice_loop, load_speech, read_caller
    from voicetools.tools import redacting

    caller = None
    if input_wav is not None:
        caller = read_caller(input_wav, channel=channel, phone=phone)
        if caller.phone_auto:
            typer.echo(
                f"phone line: {input_wav} is {caller.source}, so the caller is heard at 8 kHz, "
                "300-3400 Hz, and the call is written at 8 kHz (--no-phone turns this off)"
            )
    options = VoiceOptions(
        fast=fast and not mic,
        min_silence_ms=min_silence_ms,
        silence_s=silence_s,
        preempt_ms=preempt_ms if preempt_ms > 0 else None,
        turn_end=turn_end,
        hangup_at_end=not mic,
        echo_cancel=mic and echo_cancel,
    )
    clock = CallClock()
    engine = build_engine(
        agent,
        model=model,
        mock_tools=mock_tools,
        today=today,
        seed=seed,
        clock=clock,
        options=options.engine_options(),
    )
    speech = load_speech(stt_model, voice)
    redactor = engine_redactor(engine)
    keep = transcript is not None or report is not None
    writer = TranscriptWriter(transcript, redactor) if keep else None

    def emit(record: dict[str, Any]) -> None:
        record = redactor.value(record)  # printed and written alike
        if writer is not None:
            writer.write_data(record)
        line = describe(record)
        if line is not None:
            typer.echo(line)

    loop = build_voice_loop(
        engine,
        speech,
        clock=clock,
        options=options,
        emit=emit,
        on_latency=lambda lat: typer.echo(f"          {lat.line()}"),
    )
    player: asyncio.Task[None] | None = None
    call: asyncio.Task[Any] | None = None
    microphone: Microphone | None = None
    with redacting(redactor):  # log records of the whole call, from every thread
        try:
            if caller is not None:
                result = await loop.run(caller.audio)
            else:
                rate = speech.tts.sample_rate
                microphone = Microphone(device)  # both fail here, not mid-call
                speaker = open_output(sample_rate=rate, device=device)
                started = asyncio.Event()
                player = asyncio.ensure_future(
                    play_track(
                        loop.track,
                        loop.clock,
                        speaker,
                        sample_rate=rate,
                        started=started,
                        echo=loop.echo,
                    )
                )
                ready = asyncio.ensure_future(started.wait())
                await asyncio.wait({ready, player}, return_when=asyncio.FIRST_COMPLETED)
                ready.cancel()
                if player.done():  # the speaker failed before the call started
                    player.result()
                typer.echo("listening; press Ctrl-C to hang up")
                call = asyncio.ensure_future(loop.run(microphone.frames()))
                await asyncio.wait({call, player}, return_when=asyncio.FIRST_COMPLETED)
                if not call.done():  # the speaker failed: no call goes on unheard
                    player.result()
                result = call.result()
                await drain(loop.track, loop.clock)  # the caller hears the goodbye to its end
        finally:
            for task in (call, player):  # Ctrl-C, or the speaker failed
                if task is not None and not task.done():
                    task.cancel()
                    # the streams close only once their last read or write is done
                    await asyncio.gather(task, return_exceptions=True)
            if microphone is not None:
                microphone.close()  # before the event loop its callback posts to is gone
            await engine.aclose()
            if writer is not None:
                writer.close()
    if output_wav is not None:
        audio, out_rate = result.audio(stereo_out=stereo), STT_RATE
        if caller is not None and caller.phone:  # the call as the phone line carried it
            audio, out_rate = phone_line(audio, out_rate), PHONE_RATE
        write_wav(output_wav, audio, out_rate)
        typer.echo(f"wrote {output_wav} ({result.duration_s:.1f} s)")
    if report is not None and writer is not None:
        from voicetools.cli.report_cmd import write_page
        from voicetools.report import read_audio

        sound = read_audio(output_wav) if output_wav is not None else None
        write_page(writer.records, report, title=f"{engine.agent.name} (call)", audio=sound)
    rows = summary_rows(result.latencies)
    if rows:
        typer.echo(table(["STAGE", "N", "P50 S", "P95 S"], rows), nl=False)
