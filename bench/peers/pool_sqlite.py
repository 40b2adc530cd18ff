"""Python peer of the overhead case: what a user would write to run a trivial function over
range(n) on all cores and keep every row. multiprocessing.Pool(workers).imap with a chunksize,
the parent writing the rows into SQLite with executemany, 10,000 rows per transaction, WAL,
synchronous NORMAL, the same columns as the bare Node insert (idx, value, half).

    python3 bench/peers/pool_sqlite.py N DB [WORKERS] [CHUNKSIZE]
Prints JSON: {"n", "workers", "chunksize", "seconds"}.
"""
import itertools
import json
import multiprocessing
import os
import sqlite3
import sys
import time


def trivial(i):
    return (i, i, i / 2)


def main():
    n = int(sys.argv[1])
    path = sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    chunksize = int(sys.argv[4]) if len(sys.argv) > 4 else 10_000
    for f in (path, path + "-wal", path + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE trivial (idx INTEGER PRIMARY KEY, value INTEGER NOT NULL, half REAL NOT NULL)")
    with multiprocessing.Pool(workers) as pool:
        rows = pool.imap(trivial, range(n), chunksize=chunksize)
        while True:
            batch = list(itertools.islice(rows, 10_000))
            if not batch:
                break
            with db:
                db.executemany("INSERT INTO trivial VALUES (?, ?, ?)", batch)
    count = db.execute("SELECT count(*) FROM trivial").fetchone()[0]
    db.close()
    assert count == n, (count, n)
    print(json.dumps({"n": n, "workers": workers, "chunksize": chunksize, "seconds": time.perf_counter() - t}))


if __name__ == "__main__":
    main()
