import { setImmediate as nextTurn } from 'node:timers/promises'
import { describe, expect, test } from 'vitest'
import { IdleQueue } from '../../reporters/idle-queue.js'

const fail = (_item: number, error: unknown) => {
  throw error
}

describe('IdleQueue', () => {
  test('works on each item in order, after the current turn, and a flush does the rest at once', async () => {
    const done: number[] = []
    const queue = new IdleQueue<number>((item) => void done.push(item), fail)
    for (let item = 0; item < 5; item++) queue.push(item)
    // Not inside the pushing turn: the caller (Vitest handling a worker's update) returns first.
    expect(done).toEqual([])
    expect(queue.pending).toBe(5)
    await nextTurn()
    expect(done).toEqual([0, 1, 2, 3, 4])
    queue.push(5)
    queue.flush()
    expect(done).toEqual([0, 1, 2, 3, 4, 5])
    expect(queue.pending).toBe(0)
    // Nothing left scheduled works on an item twice.
    await nextTurn()
    expect(done).toHaveLength(6)
  })

  test('yields to the event loop between slices of work', async () => {
    const done: number[] = []
    const busy = (ms: number) => {
      const until = performance.now() + ms
      while (performance.now() < until);
    }
    const queue = new IdleQueue<number>((item) => (busy(1), void done.push(item)), fail, 2)
    for (let item = 0; item < 64; item++) queue.push(item)
    await nextTurn()
    // A slice stops at the first clock check past its budget (every 8 items): some done, not all.
    expect(done.length).toBeGreaterThan(0)
    expect(done.length).toBeLessThan(64)
    queue.flush()
    expect(done).toEqual(Array.from({ length: 64 }, (_, item) => item))
  })

  test('a failing item does not stop the others, and its failure is handed on, never thrown from the event loop', async () => {
    const done: number[] = []
    const failed: [number, string][] = []
    const queue = new IdleQueue<number>(
      (item) => {
        if (item % 2 === 1) throw new Error(`item ${item}`)
        done.push(item)
      },
      (item, error) => void failed.push([item, (error as Error).message]),
    )
    for (let item = 0; item < 4; item++) queue.push(item)
    await nextTurn()
    expect(done).toEqual([0, 2])
    expect(failed).toEqual([
      [1, 'item 1'],
      [3, 'item 3'],
    ])
    queue.push(5)
    expect(() => queue.flush()).not.toThrow()
    expect(failed.at(-1)).toEqual([5, 'item 5'])
  })

  test('clear drops what is left of an earlier run', async () => {
    const done: number[] = []
    const queue = new IdleQueue<number>((item) => void done.push(item), fail)
    queue.push(1)
    queue.clear()
    await nextTurn()
    queue.flush()
    expect(done).toEqual([])
  })
})
