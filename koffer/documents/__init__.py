"""koffer.documents"""
