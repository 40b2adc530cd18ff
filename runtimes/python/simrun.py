"""simrun's helper library for Python models (standard library only).

A model file needs nothing from here: module-level ``name``, ``version``, ``columns``,
``params``, ``setup(ctx)``, ``analyze(item, ctx)`` and ``format(result, item, ctx)`` are enough.
This module gives the helpers: ``Transient`` (an error worth another try), ``transient(err)``,
and ``item_random(seed, index)``, the same random stream as JavaScript's ``ctx.random()``.
"""

__all__ = ["Transient", "transient", "item_random", "random_block", "PROTOCOL_VERSION"]

PROTOCOL_VERSION = 1
_M = 0xFFFFFFFF


class Transient(Exception):
    """Raise it (or any exception with ``transient = True``) for a failure worth another try:
    simrun tries the item again with backoff, up to ``--retries`` times, before recording it."""

    transient = True


def transient(err):
    """Marks an exception as transient and returns it: ``raise simrun.transient(err)``."""
    if not isinstance(err, BaseException):
        err = Exception(str(err))
    err.transient = True
    return err


def _imul(a, b):
    return (a * b) & _M


def _splitmix32(a):
    state = [a & _M]

    def nxt():
        state[0] = (state[0] + 0x9E3779B9) & _M
        z = state[0]
        z = _imul(z ^ (z >> 16), 0x85EBCA6B)
        z = _imul(z ^ (z >> 13), 0xC2B2AE35)
        return (z ^ (z >> 16)) & _M

    return nxt


def item_random(seed, index):
    """The uniform [0, 1) stream of item ``index`` in a run with ``seed``: sfc32 seeded through
    splitmix32, bit for bit the stream of ``ctx.random()`` in JavaScript, R and every runtime."""
    mix = _splitmix32(_imul(int(seed) & _M, 0x27D4EB2D) ^ _splitmix32(int(index))())
    a, b, c, d = mix(), mix(), mix(), mix()

    def random():
        nonlocal a, b, c, d
        t = (a + b + d) & _M
        d = (d + 1) & _M
        a = b ^ (b >> 9)
        b = (c + (c << 3)) & _M
        c = ((c << 21) | (c >> 11)) & _M
        c = (c + t) & _M
        return t / 4294967296.0

    return random


def random_block(seed, indices, draws):
    """numpy: a (len(indices), draws) array whose row k holds the first ``draws`` numbers of item
    ``indices[k]``'s stream: what ``item_random(seed, indices[k])`` gives, for a whole chunk at
    once (batch mode: ``ctx.random_block(draws)``)."""
    import numpy as np

    u32 = np.uint32
    with np.errstate(over="ignore"):
        state = np.asarray(indices, dtype=np.int64).astype(np.uint32)

        def mix_next(a):
            a = a + u32(0x9E3779B9)
            z = (a ^ (a >> u32(16))) * u32(0x85EBCA6B)
            z = (z ^ (z >> u32(13))) * u32(0xC2B2AE35)
            return a, z ^ (z >> u32(16))

        _, first = mix_next(state)
        m = (np.full_like(first, int(seed) & _M) * u32(0x27D4EB2D)) ^ first
        m, a = mix_next(m)
        m, b = mix_next(m)
        m, c = mix_next(m)
        m, d = mix_next(m)
        out = np.empty((len(state), draws))
        for j in range(draws):
            t = a + b + d
            d = d + u32(1)
            a = b ^ (b >> u32(9))
            b = c + (c << u32(3))
            c = (c << u32(21)) | (c >> u32(11))
            c = c + t
            out[:, j] = t / 4294967296.0
    return out
