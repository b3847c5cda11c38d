"""Executing tool calls for real: HTTP, Python handlers, built-ins and mocks, behind one runner."""
