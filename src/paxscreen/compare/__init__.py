"""Comparison of traveller and list fields into levels (null means unknown)."""
