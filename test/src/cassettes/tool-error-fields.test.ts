import { describe, expect, test } from 'vitest'
import { lostErrorFieldsWarning } from '../../../src/cassettes/tool-error-fields.js'

class NotFound extends Error {
  code = 'E_NOTFOUND'
  status = 404
  detail = { table: 'orders' }
}

describe('lostErrorFieldsWarning', () => {
  test('names the tool, the error and the fields a replay will not have (found by a new user)', () => {
    const error = new NotFound('order 999 not found')
    error.name = 'NotFound'
    expect(lostErrorFieldsWarning('lookup_order', error)).toBe(
      '[vitest-llm-evals] Tool "lookup_order" threw NotFound with fields its recording does not keep (status, detail): a replay throws an Error ' +
        'with only its name, message and code. If your app reads those fields (or puts the error into a prompt), the replay differs from the recording; ' +
        'carry what matters in the message or code, or return an error result instead of throwing. (Told once per tool and file.)',
    )
  })

  test('says nothing of an error a replay rebuilds whole, or of a throw that is not an Error', () => {
    expect(lostErrorFieldsWarning('t', Object.assign(new Error('x'), { code: 'E1' }))).toBeUndefined()
    expect(lostErrorFieldsWarning('t', new Error('x', { cause: new Error('y') }))).toBeUndefined()
    expect(lostErrorFieldsWarning('t', 'a string')).toBeUndefined()
    expect(lostErrorFieldsWarning('t', { message: 'user not found', code: 'E404' })).toBeUndefined()
  })

  test('names a thrown value that is not an Error and not JSON: a replay cannot throw it back', () => {
    class Response {
      status = 500
    }
    expect(lostErrorFieldsWarning('fetch_user', new Response())).toContain('Tool "fetch_user" threw a value that is not an Error and that its recording cannot keep (the thrown value is a Response, not JSON)')
    // `undefined`, -0 and NaN are kept as they are (see tool-value.ts): no warning.
    expect(lostErrorFieldsWarning('fetch_user', undefined)).toBeUndefined()
    expect(lostErrorFieldsWarning('fetch_user', { code: Number.NaN, retryIn: -0 })).toBeUndefined()
  })
})
