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

/** Parses JSONC text. Throws `SyntaxError` with the line number when it can. */
export function parseJsonc(text: string): unknown {
  const stripped = stripJsonc(text.replace(/^\uFEFF/, ''))
  try {
    return JSON.parse(stripped)
  } catch (error) {
    const message = (error as Error).message
    const position = /position (\d+)/.exec(message)
    if (position?.[1] !== undefined) {
      const line = stripped.slice(0, Number(position[1])).split('\n').length
      throw new SyntaxError(`${message} (line ${line})`)
    }
    throw error
  }
}
