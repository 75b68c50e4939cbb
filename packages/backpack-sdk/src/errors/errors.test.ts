import { describe, expect, test } from 'vitest'
import { BackpackError } from './backpackError.js'
import {
  isApiError,
  isBackpackError,
  isHttpError,
  isNetworkError,
  isPrecisionError,
  isSigningError,
  isTimeoutError,
  isValidationError,
  isWebSocketError,
} from './guards.js'
import {
  ApiError,
  HttpError,
  MAX_ERROR_BODY_LENGTH,
  NetworkError,
  TimeoutError,
} from './httpErrors.js'
import { PrecisionError, SigningError, ValidationError } from './inputErrors.js'
import {
  isOrderStateUnknownError,
  OrderStateUnknownError,
} from './orderStateUnknownError.js'
import { WebSocketError } from './webSocketError.js'

const request = { method: 'POST', path: '/api/v1/order' }
const cause = new Error('socket hang up')

const all = {
  BackpackError: new BackpackError('Something failed.', { cause }),
  ValidationError: new ValidationError('`price` is bad.', { field: 'price' }),
  SigningError: new SigningError('`secretKey` is bad.', {
    argument: 'secretKey',
  }),
  PrecisionError: new PrecisionError('Too small.', {
    symbol: 'SOL_USDC',
    field: 'quantity',
    value: '0.001',
    rule: 'minQuantity',
  }),
  HttpError: new HttpError({ ...request, status: 502, body: 'Bad Gateway' }),
  ApiError: new ApiError({
    ...request,
    status: 400,
    body: '{"code":"INVALID_ORDER","message":"Invalid order"}',
    code: 'INVALID_ORDER',
    apiMessage: 'Invalid order',
  }),
  TimeoutError: new TimeoutError({ ...request, timeoutMs: 1000, cause }),
  NetworkError: new NetworkError({ ...request, cause }),
  OrderStateUnknownError: new OrderStateUnknownError({
    cause: new TimeoutError({ ...request, timeoutMs: 1000, cause }),
    orderLookups: [{ clientId: 77, outcome: 'notFound' }],
  }),
  WebSocketError: new WebSocketError('Connection closed.', { closeCode: 4006 }),
}

const guards = {
  BackpackError: isBackpackError,
  ValidationError: isValidationError,
  SigningError: isSigningError,
  PrecisionError: isPrecisionError,
  HttpError: isHttpError,
  ApiError: isApiError,
  TimeoutError: isTimeoutError,
  NetworkError: isNetworkError,
  OrderStateUnknownError: isOrderStateUnknownError,
  WebSocketError: isWebSocketError,
}

describe('BackpackError', () => {
  test.each(Object.entries(all))('default: %s', (name, error) => {
    expect(error.name).toBe(name)
    expect(error).toBeInstanceOf(BackpackError)
    expect(error).toBeInstanceOf(Error)
    expect(error.message.startsWith(error.shortMessage)).toBe(true)
    // Only OrderStateUnknownError carries lookups; the root knows nothing of orders.
    expect('orderLookups' in error).toBe(name === 'OrderStateUnknownError')
  })

  test('behavior: message shape (short sentence, context lines, details)', () => {
    expect(all.TimeoutError.message).toMatchInlineSnapshot(`
      "Request timed out after 1000 ms; raise timeoutMs or check connectivity.

      Request: POST /api/v1/order

      Details: socket hang up"
    `)
    expect(all.ApiError.message).toMatchInlineSnapshot(`
      "Backpack rejected the request with INVALID_ORDER.

      Status: 400
      Request: POST /api/v1/order

      Details: Invalid order"
    `)
    expect(all.ApiError.cause).toBeUndefined()
    expect(all.NetworkError.cause).toBe(cause)
    expect(all.BackpackError.details).toBe('socket hang up')
  })

  test('behavior: ApiError is an HttpError with the Backpack code and raw body', () => {
    expect(all.ApiError).toBeInstanceOf(HttpError)
    expect(all.ApiError.code).toBe('INVALID_ORDER')
    expect(all.ApiError.apiMessage).toBe('Invalid order')
    expect(all.ApiError.body).toContain('"code":"INVALID_ORDER"')
    expect(all.ApiError.status).toBe(400)
  })

  test('behavior: long bodies are truncated', () => {
    const error = new HttpError({
      ...request,
      status: 500,
      body: 'x'.repeat(5000),
    })
    expect(error.body.length).toBeLessThan(MAX_ERROR_BODY_LENGTH + 40)
    expect(error.body).toMatch(/… \(4000 more characters\)$/)
  })

  test('behavior: OrderStateUnknownError keeps the failure as cause and lists the lookups', () => {
    const error = all.OrderStateUnknownError
    expect(error.cause).toBeInstanceOf(TimeoutError)
    expect((error.cause as TimeoutError).timeoutMs).toBe(1000)
    expect(error.orderLookups).toEqual([{ clientId: 77, outcome: 'notFound' }])
    expect(error.message).toMatchInlineSnapshot(`
      "An order may or may not have been placed (TimeoutError); see \`orderLookups\`: "notFound" is safe to place again with the same clientId, otherwise look the order up first.

      Request: POST /api/v1/order
      Order: clientId 77 notFound

      Details: Request timed out after 1000 ms; raise timeoutMs or check connectivity."
    `)
  })

  test('behavior: aborted NetworkError says so', () => {
    expect(new NetworkError({ ...request, aborted: true }).shortMessage).toBe(
      'Request was aborted by the caller.',
    )
  })
})

describe('type guards', () => {
  test.each(Object.entries(guards))('default: %s', (name, guard) => {
    for (const [other, error] of Object.entries(all)) {
      const expected =
        name === other ||
        name === 'BackpackError' ||
        (name === 'HttpError' && other === 'ApiError')
      expect(guard(error), `${name}(${other})`).toBe(expected)
    }
  })

  test('behavior: work across realms (plain objects with the name)', () => {
    const foreign = { name: 'ApiError', shortMessage: 'x', code: 'X' }
    expect(isApiError(foreign)).toBe(true)
    expect(isBackpackError(foreign)).toBe(true)
  })

  test('behavior: reject look-alikes and garbage', () => {
    for (const value of [
      null,
      undefined,
      'ApiError',
      new Error('x'),
      { name: 'ApiError' },
      { name: 'TypeError', shortMessage: 'x' },
      42,
    ]) {
      for (const guard of Object.values(guards))
        expect(guard(value)).toBe(false)
    }
  })
})
