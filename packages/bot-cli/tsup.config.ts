import { defineRungConfig } from '../../tsup.base.js'

export default defineRungConfig({ index: 'src/index.ts', bin: 'src/bin.ts' })
