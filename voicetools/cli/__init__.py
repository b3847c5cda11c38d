"""The command line: `app.py` wires commands; each `*_cmd.py` builds objects, calls the library."""
