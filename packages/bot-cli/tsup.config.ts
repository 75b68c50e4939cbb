import { readFileSync } from 'node:fs'
import { defineRungConfig } from '../../tsup.base.js'

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string
}

// `rung --version` prints the published version: it is inlined at build time.
export default defineRungConfig(
  { index: 'src/index.ts', bin: 'src/bin.ts' },
  {
    define: { __RUNG_VERSION__: JSON.stringify(version) },
    // import.meta.url in the CJS build (the dashboard finds its chart library with it).
    shims: true,
  },
)
