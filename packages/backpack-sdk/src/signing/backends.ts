/**
 * The two Ed25519 implementations behind the signing API.
 *
 * - `node-crypto`: Node's (or Bun's / Deno's) built-in OpenSSL Ed25519. The
 *   seed is imported once as a KeyObject through its PKCS#8 DER form
 *   (reference §2.1 prefix `302e020100300506032b657004220420`), so each
 *   signature is a single native call.
 * - `noble`: `@noble/ed25519` (pure JS, audited) with SHA-512 from
 *   `@noble/hashes`, for browsers and edge runtimes.
 *
 * How the backend is picked: `process.getBuiltinModule('node:crypto')`
 * (Node ≥ 20.16, Bun, Deno 2) is a plain runtime call, not an `import`, so
 * no bundler ever sees or pulls `node:crypto`; where it is missing we use
 * noble. Both are pure and produce identical bytes (Ed25519 is
 * deterministic), which the vector tests check for each backend.
 *
 * @internal
 * @module
 */
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { encodeBase64 } from '../internal/base64.js'

/** Which Ed25519 implementation a {@link Signer} uses. */
export type SigningBackend = 'node-crypto' | 'noble'

/** One backend's primitives on raw bytes. @internal */
export interface Ed25519Backend {
  readonly name: SigningBackend
  /** 32-byte seed → 32-byte public key. */
  publicKey(seed: Uint8Array): Uint8Array
  /** Prepares a sign function for one seed (imports the key once). */
  signer(seed: Uint8Array): (message: string) => string
  /** Verifies; may throw on malformed input (callers catch). */
  verify(publicKey: Uint8Array, message: string, signature: Uint8Array): boolean
}

type NodeCrypto = typeof import('node:crypto')
type NodeBuffer = typeof import('node:buffer').Buffer
type KeyObject = ReturnType<NodeCrypto['createPublicKey']>

const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04,
  0x22, 0x04, 0x20,
])
const SPKI_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
])

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

let nodeModules: { crypto: NodeCrypto; Buffer: NodeBuffer } | null | undefined

/** Node's crypto + Buffer through `process.getBuiltinModule`, or null. */
function loadNode(): { crypto: NodeCrypto; Buffer: NodeBuffer } | null {
  if (nodeModules !== undefined) return nodeModules
  nodeModules = null
  try {
    const proc = (
      globalThis as {
        process?: { getBuiltinModule?: (id: string) => unknown }
      }
    ).process
    const crypto = proc?.getBuiltinModule?.('node:crypto') as
      | NodeCrypto
      | undefined
    const buffer = proc?.getBuiltinModule?.('node:buffer') as
      | { Buffer: NodeBuffer }
      | undefined
    if (
      typeof crypto?.sign === 'function' &&
      typeof crypto.createPrivateKey === 'function' &&
      buffer?.Buffer
    ) {
      nodeModules = { crypto, Buffer: buffer.Buffer }
    }
  } catch {
    nodeModules = null
  }
  return nodeModules
}

function createNodeBackend(node: {
  crypto: NodeCrypto
  Buffer: NodeBuffer
}): Ed25519Backend {
  const { crypto, Buffer } = node
  // Public KeyObjects are cached: a verifier (the simulator) sees the same
  // few keys on every request. Bounded so garbage keys cannot grow it.
  const publicKeys = new Map<string, KeyObject>()
  const privateKey = (seed: Uint8Array) =>
    crypto.createPrivateKey({
      key: Buffer.from(concat(PKCS8_ED25519_PREFIX, seed)),
      format: 'der',
      type: 'pkcs8',
    })
  return {
    name: 'node-crypto',
    publicKey(seed) {
      const spki = crypto
        .createPublicKey(privateKey(seed))
        .export({ format: 'der', type: 'spki' })
      return new Uint8Array(spki.subarray(spki.length - 32))
    },
    signer(seed) {
      const key = privateKey(seed)
      // Ed25519 takes no digest name: `null` (RFC 8032 pure Ed25519).
      return (message) =>
        crypto.sign(null, Buffer.from(message, 'utf8'), key).toString('base64')
    },
    verify(publicKey, message, signature) {
      const id = Buffer.from(publicKey).toString('base64')
      let key = publicKeys.get(id)
      if (key === undefined) {
        key = crypto.createPublicKey({
          key: Buffer.from(concat(SPKI_ED25519_PREFIX, publicKey)),
          format: 'der',
          type: 'spki',
        })
        if (publicKeys.size >= 256) publicKeys.clear()
        publicKeys.set(id, key)
      }
      return crypto.verify(null, Buffer.from(message, 'utf8'), key, signature)
    },
  }
}

const utf8 = new TextEncoder()

function createNobleBackend(): Ed25519Backend {
  // noble's sync API needs a sync SHA-512. Set it only if nobody did (the
  // app may share this noble instance); @noble/hashes is noble's own pick.
  if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512
  return {
    name: 'noble',
    publicKey: (seed) => ed.getPublicKey(seed),
    signer: (seed) => {
      const copy = seed.slice()
      return (message) => encodeBase64(ed.sign(utf8.encode(message), copy))
    },
    verify: (publicKey, message, signature) =>
      ed.verify(signature, utf8.encode(message), publicKey),
  }
}

const backends: Partial<Record<SigningBackend, Ed25519Backend>> = {}

/**
 * Returns the requested backend, or the best available one for `'auto'`.
 * Returns undefined when `'node-crypto'` is requested but unavailable.
 * @internal
 */
export function getBackend(
  choice: SigningBackend | 'auto',
): Ed25519Backend | undefined {
  if (choice === 'auto' || choice === 'node-crypto') {
    const cached = backends['node-crypto']
    if (cached) return cached
    const node = loadNode()
    if (node) {
      backends['node-crypto'] = createNodeBackend(node)
      return backends['node-crypto']
    }
    if (choice === 'node-crypto') return undefined
  }
  backends.noble ??= createNobleBackend()
  return backends.noble
}
