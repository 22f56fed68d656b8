"""Benchmarks; results and how to run them are in bench/README.md."""
