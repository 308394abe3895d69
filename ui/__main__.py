"""`python -m ui`: the same as `rag ui`."""

import sys

from ui.app import main

raise SystemExit(main(sys.argv[1:]))
