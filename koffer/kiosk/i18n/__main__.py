"""``python -m koffer.kiosk.i18n``: compile the translations (build step)."""

import sys

from koffer.kiosk.i18n import main

sys.exit(main())
