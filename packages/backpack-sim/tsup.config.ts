import { defineRungConfig } from '../../tsup.base.js'

export default defineRungConfig({ index: 'src/index.ts', cli: 'src/cli.ts' })
