/**
 * JSONC: JSON plus `//` and `/* *\/` comments and trailing commas, so the
 * starter config written by `rung init` can explain itself. Plain JSON (the
 * classic `backpack_trading_config.json`) is a subset and parses unchanged.
 */

/** Index just past the string literal that starts at `start` (escapes honoured). */
function stringEnd(text: string, start: number): number {
  let j = start + 1
  while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
  return j + 1
}

/** Removes comments and trailing commas outside strings, keeping line numbers. */
export function stripJsonc(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    const next = text[i + 1]
    if (ch === '"') {
      // Copy a string literal verbatim.
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
    } else if (ch === '/' && next === '/') {
      while (i < text.length && text[i] !== '\n') i += 1
    } else if (ch === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? text.length : end + 2
      // Keep newlines so JSON.parse positions still match the file's lines.
      out += text.slice(i, stop).replace(/[^\n]/g, ' ')
      i = stop
    } else {
      out += ch
      i += 1
    }
  }
  return removeTrailingCommas(out)
}

/** Drops a `,` followed only by whitespace and then `}` or `]`, outside strings. */
function removeTrailingCommas(text: string): string {
  let out = ''
  let i = 0
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"') {
      const end = stringEnd(text, i)
      out += text.slice(i, end)
      i = end
      continue
    }
    if (ch === ',') {
      let j = i + 1
      while (j < text.length && /\s/.test(text[j] ?? '')) j += 1
      if (text[j] === '}' || text[j] === ']') {
        out += ' '
        i += 1
        continue
      }
    }
    out += ch
    i += 1
  }
  return out
}

/**
 * A JSONC syntax error: where it is (1-based line and column) and what is
 * wrong, with an excerpt of the offending line in which every value of a
 * secret-bearing field is masked. The message never quotes the file
 * otherwise, so it is safe to show for a file holding keys.
 */
export class JsoncSyntaxError extends SyntaxError {
  override name = 'SyntaxError'
  /** What is wrong, e.g. `expected a value`; never quotes the text. */
  readonly reason: string
  /** 1-based line of the error. */
  readonly line: number
  /** 1-based column of the error. */
  readonly column: number

  /**
   * @param reason - What is wrong (no text of the file).
   * @param line - 1-based line.
   * @param column - 1-based column.
   * @param excerpt - The masked excerpt lines, or '' for none.
   */
  constructor(reason: string, line: number, column: number, excerpt: string) {
    super(
      `${reason} at line ${line}, column ${column}${excerpt ? `:\n${excerpt}` : ''}`,
    )
    this.reason = reason
    this.line = line
    this.column = column
  }
}

/**
 * Names of fields whose value is a secret, matched anywhere in a name
 * (`privateKey`, `secretKey`, `apiSecret`, `BACKPACK_API_SECRET`, ...).
 */
const SECRET_NAME = /private_?key|secret|passw(?:or)?d|passphrase|token/gi

/**
 * A run of base64 characters at least this long, with a letter and a digit
 * or `+/=`, is masked wherever it is: it has the shape of a key even where a
 * broken field name hides what it is.
 */
const KEY_SHAPE = /[A-Za-z0-9+/=]{16,}/g

/**
 * Returns `text` with secret values replaced by `*` (same length, newlines
 * kept, so positions still match): after each secret-bearing field name,
 * everything up to the end of the line where its value starts (the value
 * may be unquoted, unterminated or cut by a stray quote: the whole rest of
 * that line goes), and every key-shaped run of base64.
 */
export function maskSecrets(text: string): string {
  const chars = text.split('')
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k += 1) if (chars[k] !== '\n') chars[k] = '*'
  }
  for (const match of text.matchAll(SECRET_NAME)) {
    let j = match.index + match[0].length
    // Past the closing quote, the colon and any line break before the value.
    while (j < text.length && /[\s"':]/.test(text[j] ?? '')) j += 1
    const eol = text.indexOf('\n', j)
    blank(match.index + match[0].length, eol === -1 ? text.length : eol)
  }
  for (const match of text.matchAll(KEY_SHAPE)) {
    if (/[A-Za-z]/.test(match[0]) && /[0-9+/=]/.test(match[0]))
      blank(match.index, match.index + match[0].length)
  }
  return chars.join('')
}

/** Thrown inside {@link findSyntaxError}. */
class Problem {
  constructor(
    readonly index: number,
    readonly reason: string,
  ) {}
}

/**
 * Finds the first JSON syntax error in `text` (comments already stripped),
 * with a reason that never quotes the text: `JSON.parse` messages can quote
 * up to ten characters around the error, which may be part of a secret.
 */
function findSyntaxError(
  text: string,
): { index: number; reason: string } | undefined {
  let i = 0
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i] as string)) i += 1
  }
  const end = () => {
    if (i >= text.length) throw new Problem(i, 'unexpected end of the text')
  }
  const string = () => {
    const start = i
    i += 1
    for (;;) {
      const ch = text[i]
      if (ch === undefined)
        throw new Problem(start, 'unterminated string (no closing ")')
      if (ch === '"') {
        i += 1
        return
      }
      if (ch === '\n' || ch === '\r')
        throw new Problem(
          i,
          'line break inside a string (close the string with " on the same line)',
        )
      if (ch < ' ') throw new Problem(i, 'control character inside a string')
      if (ch === '\\') {
        const next = text[i + 1]
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
          i += 6
        else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2
        else throw new Problem(i, 'invalid escape in a string')
      } else i += 1
    }
  }
  // The object and array loops below are alike on purpose: each names its
  // own closing bracket in its error message.
  const value = () => {
    space()
    end()
    const ch = text[i]
    if (ch === '{') {
      i += 1
      space()
      if (text[i] === '}') {
        i += 1
        return
      }
      for (;;) {
        space()
        end()
        if (text[i] !== '"')
          throw new Problem(i, 'expected a property name in double quotes')
        string()
        space()
        end()
        if (text[i] !== ':')
          throw new Problem(i, "expected ':' after the property name")
        i += 1
        value()
        space()
        end()
        if (text[i] === '}') {
          i += 1
          return
        }
        if (text[i] !== ',')
          throw new Problem(i, "expected ',' or '}' after a property value")
        i += 1
      }
    }
    if (ch === '[') {
      i += 1
      space()
      if (text[i] === ']') {
        i += 1
        return
      }
      for (;;) {
        value()
        space()
        end()
        if (text[i] === ']') {
          i += 1
          return
        }
        if (text[i] !== ',')
          throw new Problem(i, "expected ',' or ']' after an array element")
        i += 1
      }
    }
    if (ch === '"') {
      string()
      return
    }
    for (const word of ['true', 'false', 'null'])
      if (text.startsWith(word, i)) {
        i += word.length
        return
      }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
    number.lastIndex = i
    if (number.test(text)) {
      i = number.lastIndex
      return
    }
    throw new Problem(i, 'expected a value')
  }
  try {
    value()
    space()
    if (i < text.length)
      throw new Problem(i, 'unexpected text after the end of the JSON value')
    return undefined
  } catch (error) {
    if (error instanceof Problem) return error
    throw error
  }
}

/** `line` with a caret under `column` (0-based); tabs shown as spaces. */
function excerpt(line: string, column: number): string {
  let shown = line.replace(/[\t\r]/g, ' ')
  let at = column
  // Long lines (a minified file): 40 characters either side of the error.
  if (shown.length > 80) {
    const from = Math.max(0, column - 40)
    const to = column + 40
    shown = `${from > 0 ? '…' : ''}${shown.slice(from, to)}${to < shown.length ? '…' : ''}`
    at = column - from + (from > 0 ? 1 : 0)
  }
  return `    ${shown}\n    ${' '.repeat(at)}^`
}

/**
 * Parses JSONC text.
 *
 * @throws {JsoncSyntaxError} naming the line and column, with an excerpt in
 *   which secret values are masked (see {@link maskSecrets}).
 */
export function parseJsonc(text: string): unknown {
  const source = text.replace(/^\uFEFF/, '')
  const stripped = stripJsonc(source)
  try {
    return JSON.parse(stripped)
  } catch {
    // Never pass on JSON.parse's message: it may quote part of a secret.
    const problem = findSyntaxError(stripped) ?? {
      index: stripped.length,
      reason: 'not valid JSON',
    }
    const before = stripped.slice(0, problem.index)
    const line = before.split('\n').length
    const column = problem.index - (before.lastIndexOf('\n') + 1)
    // Comments and trailing commas were blanked or cut within their own
    // lines, so the stripped text's line numbers and (up to a line comment)
    // columns are the file's: the excerpt shows the file's own line.
    const fileLine = maskSecrets(source).split('\n')[line - 1] ?? ''
    throw new JsoncSyntaxError(
      problem.reason,
      line,
      column + 1,
      excerpt(fileLine, column),
    )
  }
}
