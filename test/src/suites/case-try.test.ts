import { describe, expect, test } from 'vitest'
import { beginTry } from '../../../src/suites/case-try.js'
import type { ScoreRecord } from '../../../src/metrics/score-record.js'

const record = (score: number) => ({ metric: 'exact', score, pass: true, attempt: { retry: 0, repeat: 0 } }) as ScoreRecord
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('beginTry', () => {
  test('a record pushed from a try that has ended is dropped; the running try\'s records stay', async () => {
    const task = { meta: {} as { evals?: ScoreRecord[] }, retry: 1 }
    const first = beginTry(task)
    const late = first.run(async () => {
      await sleep(20)
      task.meta.evals?.push(record(0))
    })
    const second = beginTry(task)
    expect(first.ended).toBe(true)
    await second.run(async () => {
      task.meta.evals?.push(record(1))
      await late
      task.meta.evals?.push(record(1))
    })
    expect(task.meta.evals?.map((each) => each.score)).toEqual([1, 1])
    // The guard is not data: the records cross to the reporter as a plain array.
    expect(JSON.parse(JSON.stringify(task.meta))).toEqual({ evals: [record(1), record(1)] })
    expect(Object.keys(task.meta.evals ?? [])).toEqual(['0', '1'])
  })

  test('a test that cannot run again keeps its plain records array', async () => {
    const task = { meta: {} as { evals?: ScoreRecord[] } }
    const only = beginTry(task)
    await only.run(async () => undefined)
    only.end()
    expect(only.ended).toBe(true)
    expect(task.meta.evals).toBeUndefined()
  })
})
