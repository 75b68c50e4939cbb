/**
 * Seeded pseudo-random numbers (sfc32), so the same seed gives the same feed.
 *
 * @internal
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number
  /** Standard normal (Box-Muller). */
  normal(): number
}

function hash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

/** A generator seeded from a number and an optional stream name. */
export function createRng(seed: number, stream = ''): Rng {
  let a = seed >>> 0
  let b = hash(stream)
  let c = (Math.floor(seed / 2 ** 32) ^ 0x9e3779b9) >>> 0
  let d = 1
  const next = () => {
    a >>>= 0
    b >>>= 0
    c >>>= 0
    d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 15; i++) next()
  let spare: number | undefined
  return {
    next,
    normal() {
      if (spare !== undefined) {
        const s = spare
        spare = undefined
        return s
      }
      let u = 0
      while (u === 0) u = next()
      const v = next()
      const r = Math.sqrt(-2 * Math.log(u))
      spare = r * Math.sin(2 * Math.PI * v)
      return r * Math.cos(2 * Math.PI * v)
    },
  }
}
