"""The demo: its account, the scratch data directory, the embedded back end and the tour.

``koffer demo`` starts the kiosk on a scratch data directory with simulated
devices and an embedded back end; ``--screenshots DIR`` walks the main
flows (:mod:`koffer.kiosk.demo.tour`) and saves a PNG per screen.
"""

#: the demo's only account and its passphrase (shown on the login screen)
DEMO_ACCOUNT = "demo"
DEMO_PASSPHRASE = "demo-passphrase"
