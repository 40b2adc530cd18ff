"""The seed's method: concurrent.futures.ProcessPoolExecutor.map with its default chunksize
(1) over range(n), a trivial function, results consumed and not persisted.

    python3 bench/peers/seed_ppe.py N [WORKERS]
Prints JSON: {"n", "workers", "seconds"}.
"""
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def trivial(i):
    return (i, i, i / 2)


def main():
    n = int(sys.argv[1])
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else os.cpu_count()
    t = time.perf_counter()
    total = 0
    with ProcessPoolExecutor(max_workers=workers) as ex:
        for row in ex.map(trivial, range(n)):
            total += row[0]
    assert total == n * (n - 1) // 2
    print(json.dumps({"n": n, "workers": workers, "seconds": time.perf_counter() - t}))


if __name__ == "__main__":
    main()
