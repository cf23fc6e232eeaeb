"""The command line channel: ``paraaf`` (bot/cli/main.py), its commands, output and words,
demo data, provisioning, the manifest and the Entra ID sign-in.

Imports nothing, so ``paraaf --help`` loads only what bot/cli/main.py needs.
"""
