"""Ingest: files become documents (loaders, cleaning, metadata) and citable chunks."""
