import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'

/**
 * Every module specifier a source file loads at run time: static imports and
 * re-exports (type-only ones aside, they are erased) and dynamic `import()`.
 */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const found: string[] = []
  const statics = /^(?:import|export)\s+(type\s+)?[^'"]*?from\s*'([^']+)'/gm
  for (const m of text.matchAll(statics))
    if (m[1] === undefined) found.push(m[2] as string)
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g))
    found.push(m[1] as string)
  return found
}

/** Node.js modules reached from `entry` through relative imports. */
function nodeModulesReached(entry: URL): string[] {
  const seen = new Set<string>()
  const reached = new Set<string>()
  const visit = (url: URL) => {
    const file = fileURLToPath(url).replace(/\.js$/, '.ts')
    if (seen.has(file)) return
    seen.add(file)
    for (const spec of runtimeImports(file)) {
      if (spec.startsWith('node:')) reached.add(`${spec} (${file})`)
      else if (spec.startsWith('.')) visit(new URL(spec, url))
    }
  }
  visit(entry)
  return [...reached]
}

describe('@rung/ladder-strategy', () => {
  test('behavior: the root entry loads no Node.js module (readCandlesCsv and the sweep are in ./node)', () => {
    expect(nodeModulesReached(new URL('./index.ts', import.meta.url))).toEqual(
      [],
    )
  })

  test('behavior: the node entry is where the Node.js modules are', () => {
    const reached = nodeModulesReached(
      new URL('./node/index.ts', import.meta.url),
    ).map((r) => r.split(' ')[0])
    expect(reached).toEqual(
      expect.arrayContaining(['node:fs', 'node:zlib', 'node:worker_threads']),
    )
  })
})
