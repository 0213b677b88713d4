"""Store: where a built index lives (the index folder: builds, CURRENT, lock, manifest)."""
