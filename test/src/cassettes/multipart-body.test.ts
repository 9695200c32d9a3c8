import { describe, expect, test } from 'vitest'
import { multipartBody, multipartBoundary } from '../../../src/cassettes/multipart-body.js'

const body = (boundary: string) =>
  [`--${boundary}`, 'Content-Disposition: form-data; name="model"', '', 'whisper-1', `--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="note.wav"', 'Content-Type: audio/wav', '', 'RIFF bytes', `--${boundary}`, 'Content-Disposition: form-data; name="include[]"', '', 'a', `--${boundary}`, 'Content-Disposition: form-data; name="include[]"', '', 'b', `--${boundary}--`, ''].join('\r\n')

describe('multipartBody', () => {
  test('reads the parts by name, a file by its name, type, size and hash: the same whatever the boundary', () => {
    const parsed = multipartBody(body('form-data-boundary-aaa'), 'form-data-boundary-aaa')
    expect(parsed).toEqual({ file: { filename: 'note.wav', contentType: 'audio/wav', size: 10, sha256: expect.stringMatching(/^sha256:[0-9a-f]{16}$/) }, 'include[]': ['a', 'b'], model: 'whisper-1' })
    expect(multipartBody(body('form-data-boundary-zzz'), 'form-data-boundary-zzz')).toEqual(parsed)
  })

  test('tells files with other content apart', () => {
    const other = body('b1').replace('RIFF bytes', 'RIFF other')
    expect(multipartBody(other, 'b1')).not.toEqual(multipartBody(body('b1'), 'b1'))
  })

  test('is undefined for a body that is not well formed with that boundary (it is keyed as text)', () => {
    expect(multipartBody(body('b1'), 'b2')).toBeUndefined()
    expect(multipartBody(body('b1').replace('b1--', 'b1'), 'b1')).toBeUndefined()
    expect(multipartBody('--b1\r\nno headers end', 'b1')).toBeUndefined()
  })

  test('keeps a part named __proto__ as a field', () => {
    const parsed = multipartBody(body('b1').replace('name="model"', 'name="__proto__"'), 'b1')
    expect(Object.hasOwn(parsed ?? {}, '__proto__')).toBe(true)
  })
})

describe('multipartBoundary', () => {
  test('reads the boundary of multipart/form-data only, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123')
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b')
    expect(multipartBoundary('application/json')).toBeUndefined()
    expect(multipartBoundary(null)).toBeUndefined()
  })
})
