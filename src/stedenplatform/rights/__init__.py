"""Rechten."""
