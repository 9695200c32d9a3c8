// Review wt-sec: a token glued to a non-ASCII letter. Chinese and Japanese put no space between words ("令牌ghp_…" is
// "token ghp_…"), and an accented word can end right before a token ("cléghp_…"). secretlint's rules want no letter
// (\p{L}) before a token and the glued pattern looks back for [A-Za-z0-9_] only, so the secret scan finds neither and a
// cassette stores the token whole. Fails on wt-sec (and on main).
import { describe, expect, test } from 'vitest'
import { findSecretsSync } from '../../src/cassettes/secret-scan-sync.js'
import { secretValues } from '../../src/cassettes/secret-values.js'
import { FAKE_TOKENS } from '../support/fake-tokens.js'

const KINDS = ['GitHub personal token (ghp_)', 'npm access token (npm_)', 'Stripe live secret key (sk_live_)', 'Hugging Face token (hf_)', 'Groq API key (gsk_)']
const storedCopy = (text: string) => secretValues(findSecretsSync(text)).reduce((t, v) => t.replaceAll(v, '[REDACTED]'), text)

describe('a token right after a non-ASCII letter is found by the secret scan', () => {
  test.each(KINDS.flatMap((kind) => ['令牌', 'トークン', 'clé', 'ключ'].map((before) => [kind, before])))('%s after "%s"', (kind, before) => {
    const token = FAKE_TOKENS[kind]!
    const stored = storedCopy(JSON.stringify({ content: `${before}${token} 请保密` }))
    expect(stored).not.toContain(token.slice(-12))
  })
})
