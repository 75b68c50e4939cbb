import { defineRungConfig } from '../../tsup.base.js'

export default defineRungConfig({ index: 'src/index.ts' })
