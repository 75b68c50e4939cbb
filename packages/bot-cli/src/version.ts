/** Inlined by tsup at build time (see tsup.config.ts); absent when run from the sources. */
declare const __RUNG_VERSION__: string | undefined

/** The CLI's version, as `rung --version` prints it. */
export const VERSION: string =
  typeof __RUNG_VERSION__ === 'string' ? __RUNG_VERSION__ : '0.0.0-source'
