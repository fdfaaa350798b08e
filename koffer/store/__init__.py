"""koffer.store"""
