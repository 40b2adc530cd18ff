"""simrun's Python runtime: the protocol's frames and how values travel in them (docs/protocol.md).

A frame is a 4-byte big-endian length and that many bytes of UTF-8 JSON. Values JSON cannot
carry are tagged: {"$float": "Infinity" | "-Infinity" | "NaN"}, {"$int": "<digits>"} beyond 2^53.
"""

import json
import math
import os
import struct

LIMIT = 2**53


class Channel:
    """The two protocol pipes, moved off fds 3 and 4 so that the model's subprocesses never get them."""

    def __init__(self):
        rfd, wfd = (int(x) for x in os.environ.get("SIMRUN_PROTOCOL_FDS", "3,4").split(","))
        self.rin = os.fdopen(os.dup(rfd), "rb")
        self.wout = os.fdopen(os.dup(wfd), "wb")
        os.close(rfd)
        os.close(wfd)

    def read(self):
        head = self.rin.read(4)
        if len(head) < 4:
            return None  # simrun is gone: end quietly
        (n,) = struct.unpack(">I", head)
        body = self.rin.read(n)
        if len(body) < n:
            return None
        return json.loads(body.decode("utf-8"))

    def send(self, msg, flush=True):
        body = _encode(msg).encode("utf-8")
        self.wout.write(struct.pack(">I", len(body)) + body)
        if flush:
            self.wout.flush()

    def flush(self):
        self.wout.flush()


def _default(o):
    if hasattr(o, "item") and callable(o.item):  # numpy scalars
        return _value(o.item())
    return {"$unsupported": f"{type(o).__name__}: {repr(o)[:60]}"}


def _value(v):
    """A row value as JSON can carry it: ±inf and NaN, and integers beyond 2^53, tagged."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if -LIMIT <= v <= LIMIT else {"$int": str(v)}
    if isinstance(v, float):
        if math.isfinite(v):
            return v
        return {"$float": "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")}
    if hasattr(v, "item") and callable(v.item):
        return _value(v.item())
    return v


_encode = json.JSONEncoder(allow_nan=False, default=_default, separators=(",", ":")).encode


def _row(r):
    if isinstance(r, dict):
        return {str(k): _value(v) for k, v in r.items()}
    return r


def _column(values):
    """One column of analyze_batch's rows as JSON carries it (tags only where a value needs one)."""
    for v in values:
        t = type(v)
        if t is float:
            if not math.isfinite(v):
                return [_value(x) for x in values]
        elif t is int:
            if not -LIMIT <= v <= LIMIT:
                return [_value(x) for x in values]
        elif not (v is None or t is str or t is bool):
            return [_value(x) for x in values]
    return values


def _batch_columns(out):
    """analyze_batch's result (a DataFrame, a dict of columns, a list of row dicts) as columns, or
    None when its rows do not all have the same keys."""
    if hasattr(out, "columns") and hasattr(out, "to_dict"):  # a pandas DataFrame
        return {str(c): _column(out[c].tolist()) for c in out.columns}
    if isinstance(out, dict):  # columns: {"x": array or list, ...}
        cols = {str(k): _column(v.tolist() if hasattr(v, "tolist") else list(v)) for k, v in out.items()}
        if len({len(v) for v in cols.values()}) > 1:
            raise ValueError("analyze_batch returned columns of different lengths")
        return cols
    rows = list(out)
    if not rows or not all(isinstance(r, dict) for r in rows):
        return None
    keys = list(rows[0].keys())
    if any(list(r.keys()) != keys for r in rows):
        return None
    return {str(k): _column([r[k] for r in rows]) for k in keys}
