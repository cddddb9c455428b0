"""Run work in real threads at the same moment, each with its own database connection (and commits)."""

import threading

from django.db import connection


def at_once(work, workers=2):
    """Run ``work`` in several threads released together; returns their results, raises their errors."""
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as error:  # surfaced below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results
