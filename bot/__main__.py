"""``python -m bot`` is ``champions-bot``."""

import sys

from bot.cli import main

sys.exit(main())
