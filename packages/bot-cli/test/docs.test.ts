/**
 * The docs show only commands that work from a clone as written, and link
 * only to files in the repository: every relative link (and its #anchor)
 * resolves, every `npm run <script>` exists, every path given to `npx tsx` /
 * `node` exists, and every `rung <command> --flag` (in code blocks and in
 * inline code) is a command and option that `rung` accepts.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, test } from 'vitest'
import { buildProgram } from '../src/main.js'
import { createRedactor } from '../src/redact.js'
import { captureIo, REPO_ROOT, tempDir } from './e2e.js'

/** README.md, docs/*.md, and each package's and example's README. */
function markdownFiles(): string[] {
  const files = [join(REPO_ROOT, 'README.md')]
  const docs = join(REPO_ROOT, 'docs')
  for (const f of readdirSync(docs))
    if (f.endsWith('.md')) files.push(join(docs, f))
  for (const parent of ['packages', 'examples']) {
    const dir = join(REPO_ROOT, parent)
    for (const d of readdirSync(dir)) {
      const readme = join(dir, d, 'README.md')
      if (existsSync(readme)) files.push(readme)
    }
  }
  return files
}

const FILES = markdownFiles()
const rel = (file: string) => relative(REPO_ROOT, file)

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, -1 -2 for repeats. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const m = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line)
    if (!m) continue
    const base = (m[1] as string)
      .trim()
      .toLowerCase()
      .replace(/`/g, '')
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** Text outside fenced code blocks, where links are links. */
const prose = (markdown: string) =>
  markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '')

/** Shell lines of the fenced code blocks, `\` continuations joined. */
function shellLines(markdown: string): string[] {
  const out: string[] = []
  for (const block of markdown.matchAll(
    /^```(?:sh|bash|shell|console)?\n([\s\S]*?)^```/gm,
  )) {
    const text = (block[1] as string).replace(/\\\n\s*/g, ' ')
    for (const line of text.split('\n'))
      out.push(line.replace(/\s+#.*$/, '').trim())
  }
  return out.filter((l) => l !== '')
}

/** Inline code spans that are a `rung` command line. */
const inlineRung = (markdown: string) =>
  [...markdown.matchAll(/`(rung [^`\n]+)`/g)].map((m) => m[1] as string)

/** The arguments of a `rung` invocation on a line, if any. */
function rungArgs(line: string): string[] | null {
  const words = line.split(/\s+/)
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'npm' && words[i + 1] === 'run' && words[i + 2] === 'rung')
      return words.slice(i + 4) // skip `--`
    const prev = words[i - 1]
    if (
      words[i] === 'rung' &&
      (prev === undefined || /=/.test(prev) || prev === '&&')
    )
      return words.slice(i + 1)
  }
  return null
}

const program = buildProgram(captureIo({}, tempDir()).io, createRedactor())

function flagsOf(command: Command): Set<string> {
  const flags = new Set<string>(['--help', '-h'])
  for (let c: Command | null = command; c; c = c.parent)
    for (const o of c.options) {
      if (o.long) {
        flags.add(o.long)
        // commander's negatable options: --no-ui declares --ui too
        if (o.negate) flags.add(o.long.replace(/^--no-/, '--'))
      }
      if (o.short) flags.add(o.short)
    }
  return flags
}

/** Why `rung <args>` is not a command line `rung` accepts, or null. */
function checkRung(args: readonly string[]): string | null {
  let command: Command = program
  let i = 0
  for (; i < args.length; i++) {
    const word = args[i] as string
    if (word.startsWith('-')) break
    const sub = command.commands.find(
      (c) => c.name() === word || c.aliases().includes(word),
    )
    if (!sub) break
    command = sub
  }
  if (command === program && args.length > 0 && !args[0]?.startsWith('-'))
    return `no command "${args[0]}"`
  const known = flagsOf(command)
  for (const word of args.slice(i)) {
    // `--chart out.svg \\| --no-chart]`: the flag without `=value` or `]`
    const flag = /^--?[a-z][a-z-]*/.exec(word)?.[0]
    if (flag === undefined) continue
    if (!known.has(flag)) return `rung ${command.name()} has no option ${flag}`
  }
  return null
}

const rootScripts = JSON.parse(
  readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'),
).scripts as Record<string, string>

const simOptions = (() => {
  const src = readFileSync(
    join(REPO_ROOT, 'packages/backpack-sim/src/cli.ts'),
    'utf8',
  )
  const block = /options:\s*\{([\s\S]*?)\n\s{4}\},/.exec(src)?.[1] ?? ''
  const names = [...block.matchAll(/^\s*'?([a-z-]+)'?:\s*\{/gm)].map(
    (m) => `--${m[1]}`,
  )
  return new Set([...names, '-h'])
})()

describe('docs', () => {
  test('behavior: the option tables are read (the checks below can fail)', () => {
    expect(FILES.length).toBeGreaterThan(10)
    expect(simOptions.has('--seed')).toBe(true)
    expect(checkRung(['backtest', '--data', 'x'])).toBeNull()
    expect(checkRung(['backtest', '--nope'])).toBe(
      'rung backtest has no option --nope',
    )
    expect(checkRung(['frobnicate'])).toBe('no command "frobnicate"')
    expect(checkRung(['data', 'download', '--market', 'X'])).toBeNull()
    expect(anchorsOf('# A `b` c!\n## A b c\n')).toEqual(
      new Set(['a-b-c', 'a-b-c-1']),
    )
  })

  test('behavior: every relative link names a file of the repository, and its anchor a heading', () => {
    const broken: string[] = []
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8')
      for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] as string
        if (/^[a-z]+:/i.test(target)) continue // https:, mailto:
        const [path, anchor] = target.split('#') as [string, string?]
        const to = path === '' ? file : resolve(dirname(file), path)
        if (!to.startsWith(REPO_ROOT) || !existsSync(to)) {
          broken.push(`${rel(file)}: ${target} (no such file)`)
          continue
        }
        if (
          anchor &&
          to.endsWith('.md') &&
          statSync(to).isFile() &&
          !anchorsOf(readFileSync(to, 'utf8')).has(anchor)
        )
          broken.push(`${rel(file)}: ${target} (no such heading)`)
      }
    }
    expect(broken).toEqual([])
  })

  test('behavior: every command shown runs from a clone: npm scripts, file paths, rung commands and their options', () => {
    const wrong: string[] = []
    let rungLines = 0
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8')
      for (const line of shellLines(text)) {
        for (const m of line.matchAll(/npm run ([\w:-]+)/g))
          if (!((m[1] as string) in rootScripts))
            wrong.push(`${rel(file)}: ${line} (no npm script ${m[1]})`)
        for (const m of line.matchAll(
          /(?:npx tsx|node(?: --import tsx)?) ((?:packages|examples)\/\S+)/g,
        ))
          if (!existsSync(join(REPO_ROOT, m[1] as string)))
            wrong.push(`${rel(file)}: ${line} (no file ${m[1]})`)
        const sim = /npm run sim -- (.*)$/.exec(line)
        if (sim)
          for (const flag of (sim[1] as string).match(/(?<!\S)--?[a-z-]+/g) ??
            [])
            if (!simOptions.has(flag))
              wrong.push(`${rel(file)}: ${line} (rung-sim has no ${flag})`)
        const args = rungArgs(line)
        if (args) rungLines++
        const why = args && checkRung(args)
        if (why) wrong.push(`${rel(file)}: ${line} (${why})`)
      }
      for (const code of inlineRung(text)) {
        rungLines++
        const why = checkRung(code.split(/\s+/).slice(1))
        if (why) wrong.push(`${rel(file)}: \`${code}\` (${why})`)
      }
    }
    expect(wrong).toEqual([])
    expect(rungLines).toBeGreaterThan(50)
  })
})
