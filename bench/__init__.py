"""Benchmarks: scripts that print figures (``python bench/NAME.py``; docs/performance.md)."""
