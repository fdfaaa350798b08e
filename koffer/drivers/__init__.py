"""koffer.drivers"""
