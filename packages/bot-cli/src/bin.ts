#!/usr/bin/env node
import { guardStream } from './io.js'
import { main } from './main.js'

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    // main() reports every error itself; this is a last resort.
    guardStream(process.stderr).write(`rung: ${String(error)}\n`)
    process.exitCode = 1
  },
)
