"""Scenario files: scripted conversations that `voicetools test` runs against an agent."""
