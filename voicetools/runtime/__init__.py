"""Loops that drive one engine: text (chat, test) and, later, audio."""
