"""Evaluation: question sets with gold quotes, metrics, runs and comparisons."""
