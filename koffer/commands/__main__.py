"""``python -m koffer.commands``: the same as the ``koffer`` command."""

import sys

from koffer.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
