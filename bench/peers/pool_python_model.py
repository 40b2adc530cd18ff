"""Python peer of the `python` case: the research institute's method. multiprocessing.Pool(workers)
.imap (chunked) of the model's function over range(n), the parent writing every row into SQLite
with sqlite3 (executemany, 1,000 rows per transaction, WAL, synchronous NORMAL).

    python3 bench/peers/pool_python_model.py N DB [WORKERS] [CHUNKSIZE]
Prints JSON: {"n", "workers", "chunksize", "seconds"}.
"""
import itertools
import json
import multiprocessing
import os
import sqlite3
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "models"))
from py_1ms import work  # noqa: E402


def row(i):
    value, steps = work(i)
    return (i, value, steps)


def main():
    n, path = int(sys.argv[1]), sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    chunksize = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    for f in (path, path + "-wal", path + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE py_1ms (idx INTEGER PRIMARY KEY, value REAL NOT NULL, steps INTEGER NOT NULL)")
    with multiprocessing.Pool(workers) as pool:
        rows = pool.imap(row, range(n), chunksize=chunksize)
        while True:
            batch = list(itertools.islice(rows, 1_000))
            if not batch:
                break
            with db:
                db.executemany("INSERT INTO py_1ms VALUES (?, ?, ?)", batch)
    assert db.execute("SELECT count(*) FROM py_1ms").fetchone()[0] == n
    db.close()
    print(json.dumps({"n": n, "workers": workers, "chunksize": chunksize, "seconds": time.perf_counter() - t}))


if __name__ == "__main__":
    main()
