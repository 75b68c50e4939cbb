import { defineRungConfig } from '../../tsup.base.js'

// The sweep's worker is its own entry (dist/sweepWorker.js / .cjs), found
// next to the bundle at run time; `shims` gives the CJS build an
// `import.meta.url` to find it with.
export default defineRungConfig(
  { index: 'src/index.ts', sweepWorker: 'src/sweepWorker.ts' },
  { shims: true },
)
