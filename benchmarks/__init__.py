"""Benchmarks: labelled data and scripts that print tables (not timed tests)."""
