"""The entry points, each in its own package: the command line (bot/cli/) and the Teams
channel (bot/teams/). Beside them, shared by both: the settings, the one wiring module (the
composition root), logs, ids, backend errors and document access.
"""
