/**
 * The framing of the foreign-model protocol (docs/protocol.md): every message is one frame, a
 * 4-byte unsigned big-endian length followed by that many bytes of UTF-8 JSON (one object with a
 * `type`). Frames travel on two pipes of their own (fd 3: worker -> model, fd 4: model ->
 * worker), never on the model's stdout/stderr. A frame may arrive in any number of pieces.
 */

/** Version of the protocol simrun speaks; the model's `describe` must name it. */
export const PROTOCOL_VERSION = 1;
/** A frame larger than this is a broken peer, not data (256 MiB). */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export function encodeFrame(message: object): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(4 + body.length);
  frame.writeUInt32BE(body.length, 0);
  body.copy(frame, 4);
  return frame;
}

export class FrameError extends Error {
  override name = 'FrameError';
}

/** Collects bytes as they arrive and gives back every complete frame, parsed. */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Adds bytes; returns the messages now complete, in order. Throws FrameError on a bad frame. */
  push(data: Buffer): Record<string, unknown>[] {
    this.pending.push(data);
    this.pendingBytes += data.length;
    const out: Record<string, unknown>[] = [];
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let at = 0;
    while (buf.length - at >= 4) {
      const len = buf.readUInt32BE(at);
      if (len > MAX_FRAME_BYTES) throw new FrameError(`frame of ${len} bytes announced (more than ${MAX_FRAME_BYTES})`);
      if (buf.length - at - 4 < len) break;
      const text = buf.toString('utf8', at + 4, at + 4 + len);
      at += 4 + len;
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch (err) {
        throw new FrameError(`frame is not JSON: ${(err as Error).message}`);
      }
      if (!msg || typeof msg !== 'object' || Array.isArray(msg) || typeof (msg as { type?: unknown }).type !== 'string')
        throw new FrameError(`frame is not an object with a type: ${text.slice(0, 80)}`);
      out.push(msg as Record<string, unknown>);
    }
    buf = buf.subarray(at);
    this.pending = buf.length ? [buf] : [];
    this.pendingBytes = buf.length;
    return out;
  }
}

/**
 * A row value from the model: JSON values, plus tagged values JSON cannot carry:
 * `{"$float": "Infinity" | "-Infinity" | "NaN"}` and `{"$int": "<decimal digits>"}` (an integer
 * beyond 2^53, exact). Anything else that is an object stays as it is (row.ts refuses it).
 */
export function decodeRowValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== 1) return v;
  if (typeof o.$float === 'string') {
    if (o.$float === 'Infinity') return Infinity;
    if (o.$float === '-Infinity') return -Infinity;
    if (o.$float === 'NaN') return NaN;
  }
  if (typeof o.$int === 'string' && /^-?\d+$/.test(o.$int)) {
    const n = BigInt(o.$int);
    return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }
  return v;
}

export function decodeRow(row: unknown): unknown {
  if (!row || typeof row !== 'object' || Array.isArray(row)) return row;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = decodeRowValue(v);
  return out;
}
