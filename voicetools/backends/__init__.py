"""Seams to the outside world (LLM, later STT/TTS); the only place heavy packages are imported."""
