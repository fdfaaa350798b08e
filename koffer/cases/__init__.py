"""koffer.cases"""
