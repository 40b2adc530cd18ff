/**
 * ctx.random(): a small, fast PRNG (sfc32) seeded from (run seed, item index) through
 * splitmix32, so an item's stream never depends on which worker ran it or when.
 */
function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** sfc32 (Chris Doty-Humphrey): four 32-bit words of state, small and fast. */
export function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

export function itemRandom(seed: number, index: number): () => number {
  const mix = splitmix32(Math.imul(seed | 0, 0x27d4eb2d) ^ splitmix32(index)());
  return sfc32(mix(), mix(), mix(), mix());
}
