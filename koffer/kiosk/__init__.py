"""koffer.kiosk"""
