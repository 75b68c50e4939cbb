import { afterEach, describe, expect, test, vi } from 'vitest'
import { createBackpackClient } from '../client.js'

/** Counts loads of cross-fetch and records what it was asked to fetch. */
const fallback = vi.hoisted(() => ({ loads: 0, urls: [] as string[] }))

vi.mock('cross-fetch', () => {
  fallback.loads++
  const fetch = async (input: string) => {
    fallback.urls.push(input)
    return new Response(JSON.stringify({ status: 'Ok', message: null }))
  }
  return { default: fetch, fetch }
})

afterEach(() => {
  vi.unstubAllGlobals()
})

const client = () =>
  createBackpackClient({
    baseUrl: 'https://api.test',
    retry: false,
    clockSyncIntervalMs: false,
  })

describe('createBackpackClient', () => {
  test('default: requests go through globalThis.fetch; cross-fetch is not loaded', async () => {
    const urls: string[] = []
    vi.stubGlobal('fetch', async (input: string) => {
      urls.push(input)
      return new Response(JSON.stringify({ status: 'Ok', message: null }))
    })
    expect(await client().getStatus()).toEqual({ status: 'Ok', message: null })
    expect(urls).toEqual(['https://api.test/api/v1/status'])
    expect(fallback.loads).toBe(0)
    expect(fallback.urls).toEqual([])
  })

  test('behavior: without a global fetch, cross-fetch is loaded and used', async () => {
    vi.stubGlobal('fetch', undefined)
    const c = client()
    expect(await c.getStatus()).toEqual({ status: 'Ok', message: null })
    expect(await c.getStatus()).toEqual({ status: 'Ok', message: null })
    expect(fallback.loads).toBe(1)
    expect(fallback.urls).toEqual([
      'https://api.test/api/v1/status',
      'https://api.test/api/v1/status',
    ])
  })

  test('args: an injected fetch wins over the global one', async () => {
    const global = vi.fn()
    vi.stubGlobal('fetch', global)
    const urls: string[] = []
    const c = createBackpackClient({
      baseUrl: 'https://api.test',
      retry: false,
      clockSyncIntervalMs: false,
      fetch: async (input) => {
        urls.push(input)
        return new Response('{"status":"Ok","message":null}')
      },
    })
    await c.getStatus()
    expect(urls).toEqual(['https://api.test/api/v1/status'])
    expect(global).not.toHaveBeenCalled()
  })
})
