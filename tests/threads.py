"""Running callables at the same instant on their own threads, so on their own database
connections: how the tests race two people on PostgreSQL."""

import threading

from django.db import connection


def run_together(*callables):
    """Start the callables on their own threads (so their own database connections) at once."""
    barrier = threading.Barrier(len(callables))
    results: list = [None] * len(callables)

    def runner(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as error:
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results
