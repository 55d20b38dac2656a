"""One module per engine; see runner.py for the interface."""
