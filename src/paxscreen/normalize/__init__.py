"""Normalisation of parsed fields: names, dates with precision, document numbers."""
