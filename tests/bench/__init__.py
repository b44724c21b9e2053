"""Benchmarks (`make bench`): `python -m tests.bench.run`; the large course comes from `generate`."""
