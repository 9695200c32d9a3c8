import { describe, expect, test } from 'vitest'
import { parseQuery, requestKey, withoutCredentials, type CanonicalRequest } from '../../../src/cassettes/canonical.js'
import { diffRequests } from '../../../src/cassettes/request-diff.js'
import { isCredentialQueryParam } from '../../../src/cassettes/credential-params.js'
import * as old from '../../review/old-canonical.js'

const CREDENTIALS = [
  'code', 'password', 'x-api-key', 'X-API-KEY', 'apikey', 'apiKey', 'auth', 'sas', 'passwd', 'pwd', 'client_secret', 'clientSecret', 'secret',
  'access_token', 'accessToken', 'id_token', 'refresh_token', 'x-amz-security-token', 'sessionToken', 'token', 'key', 'x-functions-key',
  'authorization', 'sig', 'signature', 'x-goog-signature', 'credential', 'credentials', 'api-key', 'subscription-key', 'private_key', 'jwt',
]
const ORDINARY = [
  'api-version', 'alt', 'max_tokens', 'maxTokens', 'tokens', 'keys', 'page_token', 'pageToken', 'next_page_token', 'continuation_token', 'max_token',
  'country_code', 'code_interpreter', 'status_code', 'sort_key', 'cache_key', 'idempotency_key', 'partition_key', 'public_key', 'key_id', 'model',
  'limit', 'after', 'stream', 'author', 'passage', 'secretary', 'signatures_enabled', 'auth_type', 'password_length', 'deployment-id', '',
  '$skipToken', 'skipToken', 'skip_token', 'deltaToken', 'offset_token', 'after_token', 'resumptionToken', 'eos_token', 'pad_token',
  'exclusiveStartKey', 'start_key', 'lastEvaluatedKey', 'next_key', 'page_key', 'auth_mode', 'code_execution', '$top',
]

describe('isCredentialQueryParam', () => {
  test.each(CREDENTIALS)('%s is a credential', (name) => expect(isCredentialQueryParam(name)).toBe(true))
  test.each(ORDINARY)('%s is not', (name) => expect(isCredentialQueryParam(name)).toBe(false))
})

describe('isCredentialQueryParam with the values the request holds', () => {
  // A switch or an authentication mode is a setting, not a secret: dropping it gave every value one recording.
  test.each([
    ['require_auth', 'true'], ['include_auth', 'false'], ['use_auth', '1'], ['skip_auth', 'no'], ['with_credentials', 'yes'], ['withCredentials', 'TRUE'],
    ['auth', 'basic'], ['authorization', 'bearer'], ['auth', 'oauth2'], ['credentials', 'required'], ['needs_authorization', 'on'], ['password', 'false'],
  ])('%s=%s is kept', (name, value) => expect(isCredentialQueryParam(name, value)).toBe(false))
  test.each([
    ['require_auth', 'a8Kd9xQ2'], ['auth', 'a8Kd'], ['auth', 'user:hunter2'], ['authorization', 'Bearer a8Kd9xQ2'], ['password', 'basic'], ['token', 'oauth2'],
    ['code', 'Zq8v=='], ['with_credentials', 'true2'], ['include_auth', ''],
  ])('%s=%s is dropped', (name, value) => expect(isCredentialQueryParam(name, value)).toBe(true))
  test('a parameter repeated with one secret value is dropped whole', () => {
    expect(isCredentialQueryParam('auth', ['basic', 'a8Kd9xQ2'])).toBe(true)
    expect(isCredentialQueryParam('auth', ['basic', 'true'])).toBe(false)
  })
  test('the stored URL keeps a switch and drops a secret under the same name', () => {
    const url = new URL('https://api.example.com/v1/chat?require_auth=true&include_auth=0&client_auth=basic&code=Zq8v&auth_token=a8Kd9xQ2&api-version=1')
    expect(withoutCredentials(url).href).toBe('https://api.example.com/v1/chat?require_auth=true&include_auth=0&client_auth=basic&api-version=1')
    expect(withoutCredentials(new URL('https://api.example.com/v1/chat?require_auth=a8Kd9xQ2')).href).toBe('https://api.example.com/v1/chat')
  })
  test('a name 0.1.0 dropped whatever its value stays out of the stored URL (auth=basic, token=true), as 0.1.0 stored it', () => {
    for (const search of ['?auth=basic', '?token=true', '?key=0', '?Auth=none', '?sig=1']) {
      expect(withoutCredentials(new URL(`https://api.example.com/v1/chat${search}&api-version=1`)).href).toBe('https://api.example.com/v1/chat?api-version=1')
    }
  })
  test('a switch is part of the key again, as it was before credential names were dropped: two values, two recordings', () => {
    expect(requestKey(request('?require_auth=true'))).not.toBe(requestKey(request('?require_auth=false')))
    expect(requestKey(request('?require_auth=true'))).toBe(old.requestKey(oldRequest('?require_auth=true')))
  })
})

const request = (search: string): CanonicalRequest => {
  const url = withoutCredentials(new URL(`https://fn.azurewebsites.net/v1/chat/completions${search}`))
  return { method: 'POST', path: url.pathname, query: parseQuery(url.search), headers: {}, body: { model: 'm' } }
}
const oldRequest = (search: string): old.CanonicalRequest => {
  const url = old.withoutCredentials(new URL(`https://fn.azurewebsites.net/v1/chat/completions${search}`))
  return { method: 'POST', path: url.pathname, query: old.parseQuery(url.search), headers: {}, body: { model: 'm' } }
}

describe('credential query parameters in stored URLs and keys', () => {
  test('code, password, x-api-key, apikey, auth and a SAS token are never stored', () => {
    const url = new URL('https://fn.azurewebsites.net/api/chat?api-version=2024-10-21&code=Zq8v%3D%3D&apikey=f3a9&auth=a8Kd&password=hunter2&x-api-key=xk_9a&sas=sv%3D1%26sig%3Dx&alt=sse')
    expect(withoutCredentials(url).href).toBe('https://fn.azurewebsites.net/api/chat?api-version=2024-10-21&alt=sse')
  })

  test('ordinary parameters keep the keys earlier versions gave them', () => {
    for (const search of ['', '?api-version=2024-10-21', '?alt=sse', '?max_tokens=5&page_token=abc', '?country_code=fr&limit=2', '?api-version=1&api-key=k&key=g', '?api-version=1&$skipToken=p2', '?deltaToken=d&next_key=k']) {
      expect(requestKey(request(search))).toBe(old.requestKey(oldRequest(search)))
    }
  })

  test('a request that carried a newly dropped parameter is keyed as if it had not (its old key held the credential)', () => {
    const leaked = '?api-version=1&code=Zq8v&password=hunter2'
    expect(requestKey(request(leaked))).toBe(requestKey(request('?api-version=1')))
    expect(old.requestKey(oldRequest(leaked))).not.toBe(old.requestKey(oldRequest('?api-version=1')))
  })
})

describe('a recording an earlier version stored with a credential parameter', () => {
  const stored: CanonicalRequest = { method: 'POST', path: '/api/chat', query: { 'api-version': '1', code: 'Zq8vOldFunctionKey' }, headers: {}, body: { model: 'm' } }
  const live: CanonicalRequest = { method: 'POST', path: '/api/chat', query: { 'api-version': '1' }, headers: {}, body: { model: 'm' } }

  test('is keyed, as the store looks it up, like today\'s request without the parameter: it still replays', () => {
    expect(requestKey(stored)).toBe(requestKey(live))
    expect(requestKey(stored, (request) => request)).toBe(requestKey(live, (request) => request))
  })

  test('a miss against it never prints the stored value', () => {
    const other = { ...live, body: { model: 'n' } }
    const differences = diffRequests(stored, other)
    expect(differences.map((difference) => difference.path)).toEqual(['body.model'])
    expect(JSON.stringify(differences)).not.toContain('Zq8v')
  })
})
