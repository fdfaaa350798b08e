"""koffer.devices"""
