/**
 * Secret scrubbing for everything the bot prints or writes. Secrets are
 * registered once (when they are loaded) and replaced wherever they appear;
 * the API key stays visible as an 8-character prefix so a user can tell which
 * key is in use (STYLE 2.4).
 */
export interface Redactor {
  /** Registers a value to hide completely (a secret key, a signature). */
  addSecret(value: string): void
  /** Registers a value to show only as a short prefix (the API key). */
  addPublic(value: string): void
  /** Returns `text` with every registered value replaced. */
  redact(text: string): string
}

/** Values shorter than this are not scrubbed: they would match ordinary text. */
const MIN_LENGTH = 8

/**
 * Creates a redactor. Register each secret as soon as it is loaded; every
 * log line and error message then passes through `redact`.
 *
 * @returns An empty redactor.
 * @example
 * ```ts
 * import { createRedactor } from '@rung/bot-cli'
 * const redactor = createRedactor()
 * redactor.addSecret(process.env.BACKPACK_API_SECRET ?? '')
 * console.log(redactor.redact('secret: ' + process.env.BACKPACK_API_SECRET)) // 'secret: [redacted]'
 * ```
 */
export function createRedactor(): Redactor {
  const replacements = new Map<string, string>()
  return {
    addSecret(value) {
      if (value.length >= MIN_LENGTH) replacements.set(value, '[redacted]')
    },
    addPublic(value) {
      if (value.length >= MIN_LENGTH)
        replacements.set(value, `${value.slice(0, 8)}…`)
    },
    redact(text) {
      let out = text
      for (const [value, replacement] of replacements) {
        if (out.includes(value)) out = out.split(value).join(replacement)
      }
      return out
    },
  }
}
