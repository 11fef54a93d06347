"""Plannen."""
