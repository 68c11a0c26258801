"""Benchmarks. Each module has `main(argv)` and prints a table; run `python -m bench <name>`."""
