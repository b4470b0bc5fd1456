"""Generators of docs/: benchmarks (bench.py) and the troubleshooting page."""
