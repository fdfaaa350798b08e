"""koffer.queue"""
