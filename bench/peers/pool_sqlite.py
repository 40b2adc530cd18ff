"""Python peer of the overhead case: what a user would write to run a trivial function over
range(n) on all cores and keep every row. multiprocessing.Pool(workers).imap with a chunksize,
the parent writing the rows into SQLite with executemany, 10,000 rows per transaction, WAL,
synchronous NORMAL, the same columns as the bare Node insert (idx, value, half).

    python3 bench/peers/pool_sqlite.py N DB [WORKERS] [CHUNKSIZE]
Prints JSON: {"n", "workers", "chunksize", "seconds"}.
"""
from pool_peer import pool_into_sqlite


def trivial(i):
    return (i, i, i / 2)


if __name__ == "__main__":
    pool_into_sqlite(trivial, "trivial", "idx INTEGER PRIMARY KEY, value INTEGER NOT NULL, half REAL NOT NULL", 10_000, 10_000)
