"""simrun's Python runtime: runs one model file in one long-lived process for a simrun worker.

Started as ``python3 simrun_runtime.py model.py`` with the protocol's two pipes on fds 3 (frames
from simrun) and 4 (frames to simrun); see docs/protocol.md. Each frame is a 4-byte big-endian
length and that many bytes of UTF-8 JSON. The model's own stdout and stderr go to simrun's log.
Standard library only; pandas is used for ``analyze_batch`` when it is installed.
"""

import importlib.util
import os
import platform
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simrun  # noqa: E402
from simrun_wire import Channel, _batch_columns, _row  # noqa: E402


class Log:
    """ctx.log: messages into simrun's log (pino), with the item's index."""

    def __init__(self, ch, index=None):
        self._ch, self._index = ch, index

    def _send(self, level, msg, *args):
        text = str(msg) % args if args else str(msg)
        frame = {"type": "log", "level": level, "msg": text}
        if self._index is not None:
            frame["index"] = self._index
        self._ch.send(frame)

    def debug(self, msg, *args):
        self._send("debug", msg, *args)

    def info(self, msg, *args):
        self._send("info", msg, *args)

    def warning(self, msg, *args):
        self._send("warn", msg, *args)

    warn = warning

    def error(self, msg, *args):
        self._send("error", msg, *args)


class Context:
    """What setup(), analyze() and format() get: index, params, out_dir, log, random()."""

    def __init__(self, ch, params, out_dir, seed=None, index=None):
        self.params = params
        self.out_dir = out_dir
        self.index = index
        self.seed = seed
        self.log = Log(ch, index)
        self._random = None

    def random(self):
        # The item's stream is made at its first draw: an item that draws nothing pays nothing.
        if self._random is None:
            if self.index is None or isinstance(self.index, list):
                raise RuntimeError("ctx.random() is for items: use ctx.random_for(index) in analyze_batch; setup() has none")
            self._random = simrun.item_random(self.seed, self.index)
        return self._random()

    def random_for(self, index):
        """analyze_batch: the stream of item `index` (what ctx.random() is in analyze)."""
        return simrun.item_random(self.seed, index)

    def random_block(self, draws):
        """analyze_batch with numpy: row k = the first `draws` numbers of item ctx.index[k]'s stream."""
        return simrun.random_block(self.seed, self.index, draws)


def _error(e, skip=1, where=None):
    tb = e.__traceback__
    for _ in range(skip):
        if tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
    text = "".join(traceback.format_exception(type(e), e, tb))
    if where is None:
        frames = traceback.extract_tb(tb)
        if isinstance(e, SyntaxError):
            where = None  # its message names the file and line
        elif frames:
            where = f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}"
    out = {
        "type": type(e).__name__,
        "message": str(e),
        "traceback": text,
        "transient": isinstance(e, simrun.Transient) or getattr(e, "transient", False) is True,
    }
    if where:
        out["where"] = where
    return out


def load(path):
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)
    stem = os.path.splitext(os.path.basename(path))[0]
    # The model is a module of its own name (pickle and dataclasses want it in sys.modules), unless
    # that name is taken (random.py, json.py): then it must not replace the module of that name.
    taken = stem in sys.modules or stem in getattr(sys, "stdlib_module_names", ()) or not stem.isidentifier()
    name = "__simrun_model__" if taken else stem
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def declaration(m, file):
    base = os.path.basename(file)
    missing = [k for k in ("name", "version", "columns") if not hasattr(m, k)]
    if not (hasattr(m, "analyze") or hasattr(m, "analyze_batch")):
        missing.append("analyze")
    if missing:
        raise ModelDeclarationError(
            f"{base} defines no {', '.join(missing)} (a model file defines module-level name, version, columns and analyze)"
        )
    if not isinstance(m.columns, dict):
        raise ModelDeclarationError(f"{base}: columns must be a dict of 'real' | 'integer' | 'text'")
    params = getattr(m, "params", {})
    if not isinstance(params, dict):
        raise ModelDeclarationError(f"{base}: params must be a dict of defaults")
    return {"name": m.name, "version": m.version, "columns": m.columns, "params": params}


class ModelDeclarationError(Exception):
    pass


def run_items(ch, m, s, frame):
    analyze = getattr(m, "analyze")
    fmt = getattr(m, "format", None)
    # Answers are flushed one by one when simrun times items (--item-timeout), else per chunk.
    each = frame.get("flush") == "item"
    for entry in frame["items"]:
        index, item = entry["index"], entry.get("item")
        ctx = Context(ch, s["params"], s["out_dir"], frame["seed"], index)
        try:
            result = analyze(item, ctx)
            row = fmt(result, item, ctx) if fmt is not None else result
            ch.send({"type": "row", "index": index, "row": _row(row)}, each)
        except Exception as e:  # noqa: BLE001 - one item fails, the chunk goes on
            ch.send({"type": "error", "index": index, "error": _error(e)}, each)
    ch.flush()


def batch_frame(items):
    rows = [i if isinstance(i, dict) else {"item": i} for i in items]
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame.from_records(rows)


def run_batch(ch, m, s, frame):
    entries = frame["items"]
    ctx = Context(ch, s["params"], s["out_dir"], frame["seed"], [e["index"] for e in entries])
    try:
        out = m.analyze_batch(batch_frame([e.get("item") for e in entries]), ctx)
        if out is None or not hasattr(out, "__len__"):
            raise TypeError(f"analyze_batch returned {type(out).__name__}, expected a DataFrame, a list of row dicts or a dict of columns")
        n = len(next(iter(out.values()), ())) if isinstance(out, dict) else len(out)
        if n != len(entries):
            raise ValueError(f"analyze_batch returned {n} rows for {len(entries)} items")
        columns = _batch_columns(out) if entries else None
    except Exception as e:  # noqa: BLE001 - the whole chunk fails, item by item
        err = _error(e)
        for entry in entries:
            ch.send({"type": "error", "index": entry["index"], "error": err}, False)
        ch.flush()
        return
    if columns is not None:  # one frame for the chunk's rows, as columns
        ch.send({"type": "rows", "index": entries[0]["index"], "columns": columns})
        return
    rows = out.to_dict("records") if hasattr(out, "to_dict") else list(out)
    for entry, row in zip(entries, rows):
        ch.send({"type": "row", "index": entry["index"], "row": _row(row)}, False)
    ch.flush()


def main():
    ch = Channel()
    hello = ch.read()
    if hello is None:
        return 0
    if hello.get("protocol") != simrun.PROTOCOL_VERSION:
        ch.send({"type": "fatal", "error": {"type": "ProtocolError", "message": f"simrun speaks protocol {hello.get('protocol')}, this runtime {simrun.PROTOCOL_VERSION}"}})
        return 1
    file = sys.argv[1]
    try:
        m = load(file)
        model = declaration(m, file)
    except Exception as e:  # noqa: BLE001 - reported as one line, the run does not start
        ch.send({"type": "fatal", "error": _error(e, skip=0 if isinstance(e, ModelDeclarationError) else 1)})
        return 1
    model["batch"] = not hasattr(m, "analyze")
    interp = f"{platform.python_implementation()} {platform.python_version()}"
    ch.send({"type": "describe", "protocol": simrun.PROTOCOL_VERSION, "runtime": "simrun-python 1", "interpreter": interp, "model": model})
    sets = {}
    while True:
        frame = ch.read()
        if frame is None or frame["type"] == "bye":
            return 0
        if frame["type"] == "setup":
            s = {"params": frame.get("params", {}), "out_dir": frame.get("out_dir")}
            try:
                if hasattr(m, "setup"):
                    m.setup(Context(ch, s["params"], s["out_dir"]))
            except Exception as e:  # noqa: BLE001 - the run stops, saying why
                ch.send({"type": "fatal", "error": _error(e)})
                return 1
            sets[frame.get("set", 0)] = s
            ch.send({"type": "ready", "set": frame.get("set", 0)})
        elif frame["type"] == "chunk":
            s = sets[frame.get("set", 0)]
            (run_items if hasattr(m, "analyze") else run_batch)(ch, m, s, frame)


if __name__ == "__main__":
    sys.exit(main())
