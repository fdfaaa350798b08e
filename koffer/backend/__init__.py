"""koffer.backend"""
