import { fc, test as fcTest } from '@fast-check/vitest'
import { describe, expect, test } from 'vitest'
import { parseJsonc, stripJsonc } from './jsonc.js'

/** The message `parseJsonc` throws for `text`, or undefined when it parses. */
const messageOf = (text: string): string | undefined => {
  try {
    parseJsonc(text)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** Every substring of length 4 of `value`. */
const grams = (value: string) =>
  Array.from({ length: value.length - 3 }, (_, i) => value.slice(i, i + 4))

/** Ways a hand-edited file gets broken at one spot. */
type Cut = { at: number; op: 'truncate' | 'delete' | 'insert'; char: string }

const applyCut = (text: string, { at, op, char }: Cut) =>
  op === 'truncate'
    ? text.slice(0, at)
    : op === 'delete'
      ? text.slice(0, at) + text.slice(at + 1)
      : text.slice(0, at) + char + text.slice(at)

/** Config layouts holding a secret, with `SECRET` where it goes. */
const LAYOUTS = [
  (s: string) =>
    `{\n  "api": {\n    "publicKey": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",\n    "privateKey": "${s}"\n  },\n  "trading": { "orderCount": 8 }\n}\n`,
  (s: string) =>
    `{"api":{"privateKey":"${s}","publicKey":"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="},"trading":{"orderCount":8}}`,
  (s: string) =>
    `{ // keys\n  "apiKey": "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=", "secretKey": "${s}", }`,
  (s: string) => `{\n  "apiSecret":\n    "${s}"\n}`,
]

describe('parseJsonc', () => {
  test('default: plain JSON parses unchanged', () => {
    expect(parseJsonc('{"a": [1, 2], "b": "x"}')).toEqual({ a: [1, 2], b: 'x' })
  })

  test('behavior: comments and trailing commas are removed outside strings', () => {
    const text = `{
      // a line comment
      "url": "wss://x//y", /* block */
      "s": "a, }",
      "list": [1, 2,],
    }`
    expect(parseJsonc(text)).toEqual({
      url: 'wss://x//y',
      s: 'a, }',
      list: [1, 2],
    })
  })

  test('behavior: escaped quotes inside strings are kept', () => {
    expect(parseJsonc('{"a": "say \\"hi\\" // not a comment"}')).toEqual({
      a: 'say "hi" // not a comment',
    })
  })

  test('behavior: block comments keep line numbers', () => {
    expect(stripJsonc('/* a\nb */1').split('\n')).toHaveLength(2)
  })

  test('error: a syntax error names the line', () => {
    expect(() => parseJsonc('{\n"a": 1\n"b": 2}')).toThrow(/line 3/)
  })

  test('error: a syntax error names the line and column and points at the spot', () => {
    expect(messageOf('{\n  "a": 1\n  "b": 2\n}')).toBe(
      "expected ',' or '}' after a property value at line 3, column 3:\n" +
        '      "b": 2\n' +
        '      ^',
    )
    expect(messageOf('{"a": }')).toContain(
      'expected a value at line 1, column 7',
    )
    expect(messageOf('{"a": 1')).toContain(
      'unexpected end of the text at line 1, column 8',
    )
  })

  test('error: no fragment of a secret in the excerpt, unquoted or unterminated', () => {
    const secret = 'iU9lFhWV22xQ7bPz0kT4mN8rS1vY6cE3aD5gJ2hL0oI='
    for (const text of [
      `{"api": {"privateKey": ${secret}, "publicKey": "x"}}`,
      `{"api": {"privateKey": "${secret}}}`,
      `{"api": {"privateKey": "${secret}\n}}`,
      `{"api": {"privateKey": "${secret}" "publicKey": "x"}}`,
      `{"api": {"privateKey": "${secret.slice(0, 20)}"${secret.slice(20)}"}}`,
      `{"api": {"priva"teKey": "${secret}"}}`,
      `{"api": {"privateKey: "${secret}"}}`,
    ]) {
      const message = messageOf(text)
      expect(message).toBeDefined()
      for (const gram of grams(secret))
        expect(message, `${text} -> ${message}`).not.toContain(gram)
    }
  })

  fcTest.prop(
    [
      fc
        .uint8Array({ minLength: 32, maxLength: 64 })
        .map((bytes) => Buffer.from(bytes).toString('base64')),
      fc.nat({ max: LAYOUTS.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.constantFrom('anywhere', 'around', 'edge'),
      fc.constantFrom<Cut['op']>('truncate', 'delete', 'insert'),
      fc.constantFrom('"', ',', '}', ']', '{', '\n', ':', ' ', 'x', '\\', '/'),
    ],
    { numRuns: 1000 },
  )(
    'error: a syntax error anywhere shows no substring (4+ characters) of the secret',
    (secret, layout, where, region, op, char) => {
      const render = LAYOUTS[layout] as (s: string) => string
      const text = render(secret)
      // The same file with the secret's characters replaced: whatever 4-grams
      // its message holds come from the message's own words, not the secret.
      const blank = render('~'.repeat(secret.length))
      const start = text.indexOf(secret)
      const end = start + secret.length
      // Anywhere in the file, around the secret, or at its quotes.
      const [from, to] =
        region === 'anywhere'
          ? [0, text.length]
          : region === 'around'
            ? [start - 16, end + 16]
            : where < 0.5
              ? [start - 3, start + 3]
              : [end - 3, end + 3]
      const spot =
        from +
        Math.floor((where < 0.5 ? where * 2 : where * 2 - 1) * (to - from))
      const at = Math.max(0, Math.min(text.length, spot))
      const cut = { at, op, char }
      const message = messageOf(applyCut(text, cut))
      if (message === undefined) return
      const innocent = messageOf(applyCut(blank, cut)) ?? ''
      const leaks = grams(secret).filter(
        (g) => message.includes(g) && !innocent.includes(g),
      )
      expect(leaks, message).toEqual([])
    },
  )
})
