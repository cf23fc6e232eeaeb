"""Running the package bot/cli with ``python -m``: the same as ``paraaf``."""

import sys

from bot.cli.main import main

sys.exit(main())
