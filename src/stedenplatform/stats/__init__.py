"""Cijfers."""
