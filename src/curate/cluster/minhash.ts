import { seededUint32 } from '../../random.ts';
// MinHash signatures and LSH band keys. Everything is derived from a fixed seed so that a signature
// computed today matches one stored last year: band keys are persisted and looked up by equality.

/** 32-bit FNV-1a over the UTF-16 code units, finished with the murmur3 mixer for avalanche. */
export function hash32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** The murmur3 finalizer: a bijection on 32-bit integers. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface MinHashScheme {
  readonly seed: number;
  readonly bands: number;
  readonly rows: number;
  readonly salts: Uint32Array;
}

export function minHashScheme(seed: number, bands: number, rows: number): MinHashScheme {
  const next = seededUint32(seed);
  const salts = new Uint32Array(bands * rows);
  for (let i = 0; i < salts.length; i++) salts[i] = next();
  return { seed, bands, rows, salts };
}

/** One minimum per salted permutation; an empty set gives an all-0xffffffff signature. */
export function minHashSignature(items: readonly string[], scheme: MinHashScheme): Uint32Array {
  const size = scheme.salts.length;
  const signature = new Uint32Array(size).fill(0xffffffff);
  for (const item of items) {
    const base = hash32(item, scheme.seed);
    for (let i = 0; i < size; i++) {
      const value = mix32(base ^ scheme.salts[i]!);
      if (value < signature[i]!) signature[i] = value;
    }
  }
  return signature;
}

/**
 * One key per band: `m<band>:<hex>` where hex hashes the band's rows. Two items share a band key with
 * probability about J^rows (J = Jaccard similarity of their shingle sets), so with b bands they become
 * candidates with probability 1 - (1 - J^rows)^b.
 */
export function bandKeys(signature: Uint32Array, scheme: MinHashScheme): string[] {
  if (signature.every((v) => v === 0xffffffff)) return [];
  const keys: string[] = [];
  for (let band = 0; band < scheme.bands; band++) {
    let h = mix32(band + 1);
    for (let row = 0; row < scheme.rows; row++) {
      h = mix32(h ^ signature[band * scheme.rows + row]!);
      h = Math.imul(h, 0x9e3779b1) >>> 0;
    }
    keys.push(`m${band}:${mix32(h).toString(16).padStart(8, '0')}`);
  }
  return keys;
}

/** The share of equal positions of two signatures: an estimate of the Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return a.length === 0 ? 0 : same / a.length;
}
