/** The stream client's error. */
import { BackpackError, type BackpackErrorOptions } from './backpackError.js'

/**
 * A WebSocket connection or subscription failed. Delivered through `onError`
 * callbacks or promise rejections, never as an EventEmitter `'error'` event.
 *
 * @example
 * ```ts
 * import { isWebSocketError } from '@rung/backpack-sdk'
 *
 * function onError(error: unknown) {
 *   if (isWebSocketError(error)) console.error(error.closeCode)
 * }
 * ```
 */
export class WebSocketError extends BackpackError {
  override name = 'WebSocketError' as const
  /** WebSocket close code, when the failure was a close. */
  readonly closeCode: number | undefined
  /** The stream the failure refers to, if any (e.g. `depth.SOL_USDC`). */
  readonly stream: string | undefined

  /**
   * @param shortMessage - What failed.
   * @param options - Optional close code and stream name.
   */
  constructor(
    shortMessage: string,
    options: BackpackErrorOptions & {
      closeCode?: number | undefined
      stream?: string | undefined
    } = {},
  ) {
    super(shortMessage, options)
    this.closeCode = options.closeCode
    this.stream = options.stream
  }
}
