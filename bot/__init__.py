"""The entry points: CLI, settings, wiring, and (later) the Teams bot server."""
