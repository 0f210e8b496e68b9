"""``python -m pobratim``: the same command line as ``pobratim``."""

import sys

from pobratim.cli import main

sys.exit(main())
