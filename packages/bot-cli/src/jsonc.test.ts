import { describe, expect, test } from 'vitest'
import { parseJsonc, stripJsonc } from './jsonc.js'

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
})
