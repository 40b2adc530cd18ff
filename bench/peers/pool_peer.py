"""The Python peers' shared loop: multiprocessing.Pool(workers).imap of a function over range(n),
the parent writing every row into SQLite with sqlite3 (executemany, a fixed number of rows per
transaction, WAL, synchronous NORMAL). Each peer script gives its function and table.

    python3 bench/peers/<peer>.py N DB [WORKERS] [CHUNKSIZE]
Prints JSON: {"n", "workers", "chunksize", "seconds"}.
"""
import itertools
import json
import multiprocessing
import os
import sqlite3
import sys
import time


def pool_into_sqlite(fn, table, columns, chunksize, rows_per_transaction):
    """Runs the peer from sys.argv: `fn(i)` gives row i as a tuple for `table` (`columns`: its SQL)."""
    n, path = int(sys.argv[1]), sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    chunksize = int(sys.argv[4]) if len(sys.argv) > 4 else chunksize
    for f in (path, path + "-wal", path + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    t = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"CREATE TABLE {table} ({columns})")
    insert = f"INSERT INTO {table} VALUES ({', '.join('?' for _ in columns.split(','))})"
    with multiprocessing.Pool(workers) as pool:
        rows = pool.imap(fn, range(n), chunksize=chunksize)
        while True:
            batch = list(itertools.islice(rows, rows_per_transaction))
            if not batch:
                break
            with db:
                db.executemany(insert, batch)
    count = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    db.close()
    assert count == n, (count, n)
    print(json.dumps({"n": n, "workers": workers, "chunksize": chunksize, "seconds": time.perf_counter() - t}))
