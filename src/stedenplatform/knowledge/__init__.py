"""Kennisbank."""
