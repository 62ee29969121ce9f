/**
 * mulberry32: a tiny, fast seeded PRNG, good enough to vary generated text. The benchmarks'
 * fixtures and the webview tests use it so that the same seed always gives the same output and
 * runs and machines compare.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
