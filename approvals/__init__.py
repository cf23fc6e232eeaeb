"""The approvals domain: flows, the dossier aggregate, commands, events and ports.

Pure Python: no I/O and no framework imports (a test enforces this).
"""
