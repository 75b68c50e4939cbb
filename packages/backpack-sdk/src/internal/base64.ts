/**
 * Strict standard base64 (RFC 4648 §4, `+/` alphabet, `=` padding), written
 * out so the signing module needs neither `Buffer` nor `atob` and runs the
 * same in Node, browsers and edge runtimes.
 *
 * Decoding is canonical: it rejects missing padding, characters outside the
 * alphabet, whitespace and non-zero trailing bits, so one key has exactly one
 * accepted spelling.
 *
 * @internal
 * @module
 */

const ALPHABET =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

/** Encodes bytes as padded standard base64. @internal */
export function encodeBase64(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out +=
      ALPHABET[n >> 18]! +
      ALPHABET[(n >> 12) & 63]! +
      ALPHABET[(n >> 6) & 63]! +
      ALPHABET[n & 63]!
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = bytes[i]! << 16
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}==`
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += `${ALPHABET[n >> 18]!}${ALPHABET[(n >> 12) & 63]!}${ALPHABET[(n >> 6) & 63]!}=`
  }
  return out
}

/**
 * Decodes padded standard base64, or returns `undefined` when the text is not
 * canonical base64 (so callers choose their own error). @internal
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const body = text.length - pad
  const out = new Uint8Array((text.length / 4) * 3 - pad)
  let bits = 0
  let acc = 0
  let o = 0
  for (let i = 0; i < body; i++) {
    const code = text.charCodeAt(i)
    const v = code < 128 ? LOOKUP[code]! : -1
    if (v < 0) return undefined
    acc = ((acc << 6) | v) & 0x3fff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  // Canonical form: the bits left over after the last full byte are zero.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined
  return out
}
