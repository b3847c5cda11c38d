"""voicetools: build, lint and test voice agents that call functions, fully offline."""

__version__ = "0.1.0"
