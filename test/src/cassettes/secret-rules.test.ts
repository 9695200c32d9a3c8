import { generateKeyPairSync } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { lintSource } from '@secretlint/core'
import { creator as preset, rules } from '@secretlint/secretlint-rule-preset-recommend'
import { describe, expect, test } from 'vitest'
import { runRules, type RuleSettings } from '../../../src/cassettes/secret-rules.js'

// runRules runs secretlint's rules without @secretlint/core (issue 17: the core's load was most of the scanner's
// cost). These tests compare its findings with the core's, rule by rule, on a sample each rule must find.

/** Key-shaped text built at run time, so no key-shaped literal sits in the repository. */
const chars = (length: number, alphabet = 'A1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvWxYz') => Array.from({ length }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('')
const upper = (length: number) => chars(length, 'QWERTYUIOPASDFGHJKLZXCVBNM234567')
const digits = (length: number) => chars(length, '1234567890')
const letters = (length: number) => chars(length, 'aBcDeFgHiJkLmNoPqRsTuVwXyZ')
const hex = (length: number) => chars(length, '0123456789abcdef')
const pem = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey.trim()
const cloudflareBody = chars(40)
/** A 1Password service account token is `ops_` and base64 JSON ending in `}` alone in its last group (`fQ==`). */
const onePasswordJson = (pad: string): string => {
  const json = JSON.stringify({ email: 'x@1passwordserviceaccounts.lcl', secretKey: chars(40), srpX: hex(64), pad })
  return json.length % 3 === 1 ? json : onePasswordJson(`${pad}x`)
}
const onePassword = Buffer.from(onePasswordJson('')).toString('base64')

/** One sample per scanner rule of the preset: the text the rule must find something in. */
const SAMPLES: Record<string, string> = {
  '@secretlint/secretlint-rule-aws': `aws_secret_access_key = ${chars(40)}\nid: AKIA${upper(16)}`,
  '@secretlint/secretlint-rule-npm': `npm token npm_${chars(36)} here`,
  '@secretlint/secretlint-rule-slack': `xoxb-${digits(10)}-${digits(13)}-${chars(24)} and https://hooks.slack.com/services/T${upper(8)}/B${upper(8)}/${chars(24)}`,
  '@secretlint/secretlint-rule-basicauth': `see https://deploybot:${chars(16)}@example.com/repo`,
  '@secretlint/secretlint-rule-openai': `key sk-${chars(20)}T3BlbkFJ${chars(20)} here`,
  '@secretlint/secretlint-rule-anthropic': `key sk-ant-api03-${chars(93)}AA here`,
  '@secretlint/secretlint-rule-groq': `key gsk_${chars(52)} here`,
  '@secretlint/secretlint-rule-huggingface': `key hf_${letters(34)} here`,
  '@secretlint/secretlint-rule-linear': `key lin_api_${chars(40)} here`,
  '@secretlint/secretlint-rule-notion': `key ntn_${digits(11)}${chars(35)} here`,
  '@secretlint/secretlint-rule-privatekey': `key:\n${pem}\n`,
  '@secretlint/secretlint-rule-sendgrid': `key SG.${chars(22)}.${chars(43)} here`,
  '@secretlint/secretlint-rule-shopify': `key shpat_${hex(32)} here`,
  '@secretlint/secretlint-rule-stripe': `key sk_live_${chars(32)} here`,
  '@secretlint/secretlint-rule-github': `token ghp_${chars(36)} and github_pat_${chars(22)}_${chars(59)}`,
  '@secretlint/secretlint-rule-gitlab': `token glpat-${chars(20)} here`,
  '@secretlint/secretlint-rule-grafana': `token glsa_${chars(32)}_${hex(8)} and glc_${chars(40)}`,
  '@secretlint/secretlint-rule-1password': `token ops_${onePassword} here`,
  '@secretlint/secretlint-rule-database-connection-string': `db postgres://admin:${chars(16)}@db.example.com:5432/app and mongodb+srv://root:${chars(12)}@cluster0.example.net/test`,
  '@secretlint/secretlint-rule-hashicorp-vault': `token hvs.${chars(95)} here`,
  '@secretlint/secretlint-rule-vercel': `token vcp_${chars(24)} here`,
  '@secretlint/secretlint-rule-databricks': `token dapi${hex(32)} here`,
  '@secretlint/secretlint-rule-docker': `token dckr_pat_${chars(27)} here`,
  '@secretlint/secretlint-rule-figma': `token figd_${chars(40)} here`,
  '@secretlint/secretlint-rule-cloudflare': `token cfat_${cloudflareBody}${crc32(cloudflareBody).toString(16).padStart(8, '0')} here`,
  '@secretlint/secretlint-rule-tailscale': `key tskey-auth-${chars(12)}-${chars(30)} here`,
}

const SETTINGS: Record<string, RuleSettings> = {
  '@secretlint/secretlint-rule-aws': { options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] },
}

/**
 * Rules that only read files by their name, which scanned text never has: the GCP rule reads `.json` and `.p12`
 * files (a service account's private key is still found by the private key rule).
 */
const FILE_ONLY = ['@secretlint/secretlint-rule-gcp']
const COMMENT_FILTER = '@secretlint/secretlint-rule-filter-comments'
const scanners = rules.filter((rule) => rule.meta.id !== COMMENT_FILTER)

/** What @secretlint/core reports for `content` with the same rules and settings. */
async function coreFindings(content: string) {
  const presetRules = Object.entries(SETTINGS).map(([id, { options, allowMessageIds }]) => ({ id, options, allowMessageIds: allowMessageIds && [...allowMessageIds] }))
  const scannerPreset: typeof preset = { ...preset, create: (context) => scanners.forEach((rule) => context.registerRule(rule)) }
  const { messages } = await lintSource({ source: { filePath: 'scanned.txt', content, contentType: 'text' }, options: { config: { rules: [{ id: preset.meta.id, rule: scannerPreset, rules: presetRules }] }, noPhysicFilePath: true } })
  return messages.map((message) => ({ ruleId: message.ruleId, messageId: message.messageId, range: message.range, ...(message.data ? { data: message.data } : {}) }))
}

const byPosition = <T extends { ruleId: string; range: readonly [number, number] }>(found: T[]) => [...found].sort((a, b) => a.range[0] - b.range[0] || a.ruleId.localeCompare(b.ruleId))

describe('runRules', () => {
  test('every scanner rule of the preset has a sample here', () => {
    expect([...Object.keys(SAMPLES), ...FILE_ONLY].sort()).toEqual(scanners.map((rule) => rule.meta.id).sort())
  })

  test.each(Object.entries(SAMPLES))('%s: finds its sample, as @secretlint/core does', async (ruleId, sample) => {
    const found = await runRules(scanners, sample, SETTINGS)
    expect(found.map((finding) => finding.ruleId)).toContain(ruleId)
    expect(byPosition(found)).toEqual(byPosition(await coreFindings(sample)))
  })

  test('all samples in one text: the same findings as @secretlint/core', async () => {
    const text = Object.values(SAMPLES).join('\n\n')
    const found = await runRules(scanners, text, SETTINGS)
    expect(found.length).toBeGreaterThan(Object.keys(SAMPLES).length)
    expect(byPosition(found)).toEqual(byPosition(await coreFindings(text)))
  })

  test('an allowed message id is not reported, and a rule option is given to its rule', async () => {
    const text = `account "123456789012", key AKIA${upper(16)}`
    const ids = async (settings: Record<string, RuleSettings>) => (await runRules(scanners, text, settings)).map((finding) => finding.messageId)
    expect(await ids({})).toEqual([])
    expect(await ids({ '@secretlint/secretlint-rule-aws': { options: { enableIDScanRule: true } } })).toEqual(expect.arrayContaining(['AWSAccessKeyID']))
    expect(await ids(SETTINGS)).toEqual(['AWSAccessKeyID'])
  })

  test("a service account key file's text is found by the private key rule, as by @secretlint/core", async () => {
    const text = JSON.stringify({ type: 'service_account', private_key_id: hex(40), private_key: `${pem}\n` })
    const found = await runRules(scanners, text, SETTINGS)
    expect(found.map((finding) => finding.ruleId)).toEqual(['@secretlint/secretlint-rule-privatekey'])
    expect(byPosition(found)).toEqual(byPosition(await coreFindings(text)))
  })

  test('a "secretlint-disable" comment in the text does not hide a secret', async () => {
    const text = `<!-- secretlint-disable -->\ntoken ghp_${chars(36)}\n<!-- secretlint-enable -->`
    expect((await runRules(rules, text, SETTINGS)).map((finding) => finding.ruleId)).toEqual(['@secretlint/secretlint-rule-github'])
  })

  test('ranges are offsets in the text as given, a leading byte-order mark included', async () => {
    const token = `ghp_${chars(36)}`
    const text = `\uFEFFtoken ${token}`
    const [finding] = await runRules(scanners, text, SETTINGS)
    expect(text.slice(...finding!.range)).toBe(token)
  })
})
