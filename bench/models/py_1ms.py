# A pure-Python model costing ~1 ms of CPU per item (bench case `python`): the same function the
# Pool.imap peer (bench/peers/pool_python_model.py) runs.
name = "py_1ms"
version = "1"
columns = {"value": "real", "steps": "integer"}


def work(index):
    x = float(index)
    steps = 0
    while steps < 5000:  # ~1 ms of bytecode on an idle 2020s core
        x = (x * 1.000001 + 0.5) % 1000.0
        steps += 1
    return x, steps


def analyze(item, ctx):
    value, steps = work(item)
    return {"value": value, "steps": steps}
