import { describe, expect, test, vi } from 'vitest'
import { ResultsFlow } from '../../src/results-flow.js'

describe('ResultsFlow', () => {
  test('is due once per interval, timed from the last turn it asked for', () => {
    let now = 1000
    const flow = new ResultsFlow(40, () => now)
    expect(flow.due()).toBe(false)
    now += 39
    expect(flow.due()).toBe(false)
    now += 1
    expect(flow.due()).toBe(true)
    expect(flow.due()).toBe(false)
    now += 100
    expect(flow.due()).toBe(true)
  })

  test('turns the event loop: an I/O callback queued before the turn has run when it resolves', async () => {
    const order: string[] = []
    setImmediate(() => order.push('immediate'))
    await new ResultsFlow().turn()
    order.push('turned')
    expect(order).toEqual(['immediate', 'turned'])
  })

  test('still turns under fake timers: it holds the real setImmediate', async () => {
    vi.useFakeTimers({ toFake: ['setImmediate', 'setTimeout', 'performance'] })
    try {
      await new ResultsFlow().turn()
    } finally {
      vi.useRealTimers()
    }
  }, 2000)
})
