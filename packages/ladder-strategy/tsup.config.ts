import { defineRungConfig } from '../../tsup.base.js'

// Two entry points: the pure root (`index`) and the Node-only `node`
// (candle files, the sweep). Code splitting puts what they share (the
// error classes, the backtest) in one chunk, so `instanceof
// LadderConfigError` holds whichever entry point an error came from.
// The sweep's worker is its own entry (dist/sweepWorker.js / .cjs), found
// next to the bundle at run time; `shims` gives the CJS build an
// `import.meta.url` to find it with.
export default defineRungConfig(
  {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    sweepWorker: 'src/node/sweep/worker.ts',
  },
  { shims: true, splitting: true },
)
