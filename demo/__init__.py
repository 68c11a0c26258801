"""Demo and benchmark data: the demo city of `make run` (`seed_demo`) and the benchmark city
(`seed_bench`). The top floor: it uses every app's services, and no app imports it."""
