"""Case work without Qt: completing, sealing and recovering cases.

The kiosk, ``koffer simulate-visit`` and the tests use these modules alike;
this package imports the store, the outbox and the enrollment, never the
kiosk.
"""
