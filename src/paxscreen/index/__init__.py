"""Prebuilt list indexes: watchlist names (and, with issue 5, documents)."""
