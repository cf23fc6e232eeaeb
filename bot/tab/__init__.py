"""The Teams tab: a JSON API under ``/api/v1/`` and the web app under ``/tab/``, a second
channel on the same service as the bot (it never imports the Teams channel)."""
