"""``python -m bot`` is the same as ``rete``."""

import sys

from bot.cli import main

sys.exit(main())
