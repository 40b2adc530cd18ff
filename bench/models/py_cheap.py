# A cheap Python model (~20 us per item): measures the protocol's overhead per item.
import math

name = "py_cheap"
version = "1"
columns = {"x": "real", "y": "real"}


def analyze(item, ctx):
    x = ctx.random()
    y = 0.0
    for k in range(40):
        y += math.sqrt(x + k) * math.sin(x * k)
    return {"x": x, "y": y}
