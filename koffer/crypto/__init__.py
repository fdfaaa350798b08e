"""koffer.crypto"""
