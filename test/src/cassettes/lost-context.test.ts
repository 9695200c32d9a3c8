import { describe, expect, test } from 'vitest'
import { cutOffTestNote, lateCallMessage, leftoverCallWarning, leftoverRecordedWarning, lostContextWarning } from '../../../src/cassettes/lost-context.js'

describe('lostContextWarning', () => {
  test('names the file, the causes (a module-level queue, a call an ended test left) and their fixes, with secrets hidden', () => {
    const secret = 'sk-live-abcdefghijklmnopqrstuvwxyz123456'
    const warning = lostContextWarning(`POST https://api.example.com/v1/chat?key=${secret}`, '/repo/evals/queue.test.ts', '/repo', [{ name: 'OPENAI_API_KEY', value: secret }])
    expect(warning).toMatch(/^\[vitest-llm-evals\] A model call \(POST https:\/\/api\.example\.com\/v1\/chat\?key=.*\) in evals\/queue\.test\.ts lost its test's context/)
    expect(warning).not.toContain(secret)
    expect(warning).toContain('`AsyncResource.bind(fn)`')
    expect(warning).toContain('A call a test left running after it ended (a timer, a promise not awaited) arrives the same way: await it in the test.')
  })
})

describe('leftoverCallWarning', () => {
  test('names both tests, and the shared queue that makes a test\'s own call look left running by the test before it', () => {
    const text = leftoverCallWarning('model call (POST https://api.openai.com/v1/chat/completions)', 'bot > starts', 'bot > asks', '/repo/bot.test.ts', '/repo')
    expect(text).toContain('was started by test "bot > starts" but arrived after that test ended, while test "bot > asks" was running: it was not sent nor recorded')
    expect(text).toContain('If the tests share a queue or rate limiter, it may instead be "bot > asks"\'s own call')
    expect(text).toContain('`AsyncResource.bind(fn)`')
  })
})

describe('leftoverRecordedWarning and lateCallMessage', () => {
  test('a call of a test that was not cut off is filed under the running test: the warning says so, queue first', () => {
    const text = leftoverRecordedWarning('model call (POST https://api.openai.com/v1/chat/completions)', 'bot > starts', 'bot > asks', '/repo/bot.test.ts', '/repo')
    expect(text).toContain('was started in the context of test "bot > starts" but arrived after that test ended, while test "bot > asks" was running: it is recorded and replayed under "bot > asks"')
    expect(text).toContain('it is likely "bot > asks"\'s own call')
    expect(text).toContain('`AsyncResource.bind(fn)`')
  })

  test('the error a refused call gets names the cut-off test, its signal, and the queue fix', () => {
    const text = lateCallMessage('model call (POST https://api.openai.com/v1/chat/completions)', 'bot > starts', 'bot > asks')
    expect(text).toContain('"bot > starts" was cut off (it timed out): stop its calls with the test\'s `signal`')
    expect(text).toContain('`AsyncResource.bind(fn)`')
  })
})


describe('calls of a concurrent test after it ended', () => {
  test('a cut-off test\'s refused call with no sequential test running: the warning and the error name it alone', () => {
    const warning = leftoverCallWarning('call of tool issue_refund', 'late > A', undefined, '/repo/late.test.ts', '/repo')
    expect(warning).toContain('A call of tool issue_refund in late.test.ts was started by test "late > A" but arrived after that test ended: it was not sent nor recorded (it is answered with an error).')
    expect(warning).toContain('it may instead be another test\'s own call')
    expect(warning).not.toContain('undefined')
    const error = lateCallMessage('call of tool issue_refund', 'late > A', undefined)
    expect(error).toMatch(/^A call of tool issue_refund of test "late > A" arrived after that test ended: it was not sent nor recorded\. "late > A" was cut off/)
  })
})

describe('cutOffTestNote', () => {
  test('names the test that was cut off, the test that missed, and the fix (the test\'s signal), with secrets hidden', () => {
    const secret = 'sk-live-abcdefghijklmnopqrstuvwxyz123456'
    const note = cutOffTestNote(`A ${secret}`, 'B', [{ name: 'OPENAI_API_KEY', value: secret }])
    expect(note).not.toContain(secret)
    expect(note).toMatch(/^Test "A .*" of this file was cut off \(it timed out\) before "B" missed: this request may be a call "A .*" left running/)
    expect(note).toContain('pass the test\'s `signal`')
  })
})
