/**
 * Signing throughput: what the REST client does per order (build the
 * canonical payload, Ed25519-sign it, fill the four auth headers), per
 * backend, beside a bare `crypto.sign(null, msg, keyObject)` of a message of
 * the same length measured in the same run.
 *
 * Target: the node:crypto path within 1.5x of the bare sign.
 */
import { createPrivateKey, sign } from 'node:crypto'
import { addSignedHeaders } from '../packages/backpack-sdk/src/rest/request.js'
import {
  buildSigningPayload,
  createSigner,
} from '../packages/backpack-sdk/src/signing/index.js'
import { compare } from './harness.js'

// Backpack's demo key from its official Python guide (reference §2.7).
const SECRET = 'TDSkv44jf/iD/QCKkyCdixO+p1sfLXxk+PZH7mW/ams='

const ORDER = {
  symbol: 'SOL_USDC',
  side: 'Bid',
  orderType: 'Limit',
  price: '141.50',
  quantity: '0.5',
  timeInForce: 'GTC',
  postOnly: true,
  clientId: 12345,
}

export default async function run(): Promise<void> {
  const nodeSigner = createSigner(SECRET, { backend: 'node-crypto' })
  const nobleSigner = createSigner(SECRET, { backend: 'noble' })
  let timestamp = 1_700_000_000_000
  const signOrder = (signer: typeof nodeSigner) => () =>
    addSignedHeaders(
      { 'Content-Type': 'application/json; charset=utf-8' },
      {
        signer,
        instruction: 'orderExecute',
        params: ORDER,
        timestamp: timestamp++,
        windowMs: 5000,
      },
    )

  // The baseline signs a message exactly as long as a real order payload.
  const sample = buildSigningPayload({
    instruction: 'orderExecute',
    params: ORDER,
    timestamp,
    windowMs: 5000,
  })
  const message = Buffer.from('x'.repeat(sample.length))
  const key = createPrivateKey({
    key: Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.from(SECRET, 'base64'),
    ]),
    format: 'der',
    type: 'pkcs8',
  })

  await compare({
    title: `signed order request build (payload ${sample.length} bytes)`,
    unit: 'requests/s',
    baseline: {
      name: 'bare crypto.sign(null, msg, keyObject)',
      fn: () => sign(null, message, key),
    },
    cases: [
      {
        name: 'payload + sign + headers (node:crypto)',
        fn: signOrder(nodeSigner),
      },
      {
        name: 'payload + sign + headers (@noble/ed25519)',
        fn: signOrder(nobleSigner),
      },
      {
        name: 'buildSigningPayload only',
        fn: () =>
          buildSigningPayload({
            instruction: 'orderExecute',
            params: ORDER,
            timestamp: timestamp++,
            windowMs: 5000,
          }),
      },
    ],
  })
}
