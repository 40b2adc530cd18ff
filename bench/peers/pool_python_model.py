"""Python peer of the `python` case: the research institute's method. multiprocessing.Pool(workers)
.imap (chunked) of the model's function over range(n), the parent writing every row into SQLite
with sqlite3 (executemany, 1,000 rows per transaction, WAL, synchronous NORMAL).

    python3 bench/peers/pool_python_model.py N DB [WORKERS] [CHUNKSIZE]
Prints JSON: {"n", "workers", "chunksize", "seconds"}.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
from pool_peer import pool_into_sqlite  # noqa: E402
from py_1ms import work  # noqa: E402


def row(i):
    value, steps = work(i)
    return (i, value, steps)


if __name__ == "__main__":
    pool_into_sqlite(row, "py_1ms", "idx INTEGER PRIMARY KEY, value REAL NOT NULL, steps INTEGER NOT NULL", 100, 1_000)
