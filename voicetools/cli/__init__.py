"""The command line: `app.py` wires commands; each `*_cmd.py` builds objects and calls the library."""
