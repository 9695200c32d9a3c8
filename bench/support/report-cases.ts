/**
 * A large eval run as Vitest hands it to a reporter, for the HTML report benchmark: 5,000 tests of 10 suites,
 * 3 metrics each, with text of realistic length (inputs ~150 characters, outputs ~400, judge reasons ~200)
 * drawn from a seeded generator, so every run of the benchmark sees the same report.
 *
 * Between two runs: the output of ~20% of the cases changes, ~6% of cases drop (regressions) and ~4% rise;
 * ~8% fail a threshold, ~2% are flaky (3 trials, mixed verdicts), and the last suite compares two prompt
 * variants (`describeEval.each`). About 1% of outputs mention "chargeback", the benchmark's search query.
 */
import { join } from 'node:path'

export const TESTS = 5000
export const SUITES = ['billing', 'shipping', 'accounts', 'returns', 'search', 'summaries', 'translations', 'tone', 'safety', 'prompts'] as const
export const SEARCH_QUERY = 'chargeback'
const VARIANTS = ['prompt-a', 'prompt-b']
const METRICS = [
  ['factuality', 'relevance', 'similarity:rouge-l'],
  ['faithfulness', 'tone', 'contains-all'],
] as const

/** A small seeded generator (mulberry32): the same seed gives the same text on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = Math.imul(state ^ (state >>> 15), 1 | state)
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

const QUESTIONS = ['My order has not arrived after ten days and the tracking page shows no update.', 'I was charged twice for the annual plan this month.', 'How do I reset my password when the email link has expired?', 'The parcel arrived damaged, the box was crushed and the lid is cracked.', 'Can I change the delivery address after the order has shipped?', 'The invoice shows the wrong company name and VAT number.', 'Two-factor login codes never reach my phone.', 'Please summarise the attached meeting notes for the leadership team.', 'Translate the returns policy into French for our Quebec customers.', 'Why was my refund smaller than the price I paid?']
const ANSWERS = ['I am sorry about the trouble with your order.', 'I checked the account and can see the duplicate payment from the third of the month.', 'A refund of the second charge has been issued and will appear within five business days.', 'You can request a new reset link from the sign-in page; it stays valid for one hour.', 'The courier confirmed the parcel is at the regional depot and will be delivered tomorrow.', 'I have updated the delivery address, and the carrier will reroute the parcel at no cost.', 'Our policy covers damaged items: please keep the packaging until the replacement arrives.', 'The invoice has been reissued with the corrected company name and VAT number.', 'If the codes still do not arrive, switch to the authenticator app under Security settings.', 'Shipping fees are not refunded when an order is returned after thirty days.', 'Let me know if there is anything else I can help with today.']
const REASONS = ['The answer states the refund amount and timeline, which match the reference.', 'The response omits the required apology and does not confirm the new address.', 'Every claim is supported by the retrieved policy passage.', 'The reply contradicts the reference on the delivery date.', 'Tone is polite and concise; it addresses the customer by name.', 'The output mentions a fee that the policy does not include.']

/** Picks sentences from `pool` until the text reaches `length` characters. */
function prose(next: () => number, pool: readonly string[], length: number): string {
  let text = ''
  while (text.length < length) text += `${text ? ' ' : ''}${pool[Math.floor(next() * pool.length)]}`
  return text
}

/** What one test of the run is: its suite, case id, variant and the figures that do not depend on the run. */
function testPlan(index: number) {
  const suite = index % SUITES.length
  const variant = suite === SUITES.length - 1 ? VARIANTS[Math.floor(index / SUITES.length) % VARIANTS.length] : undefined
  const caseNumber = variant === undefined ? Math.floor(index / SUITES.length) : Math.floor(index / SUITES.length / VARIANTS.length)
  const next = random(index + 1)
  return { suite, variant, caseId: `${SUITES[suite]}-${String(caseNumber).padStart(4, '0')}`, metrics: METRICS[suite % 2] as readonly string[], roll: next(), base: next(), next }
}

/** The text fields of a test in run `run`; the output of one case in five changes from run to run. */
function texts(index: number, run: number, caseId: string) {
  const fixed = random(index * 7919 + 17)
  const input = `${caseId}: ${prose(fixed, QUESTIONS, 150)}`.slice(0, 160)
  const changes = index % 5 === 0
  const output = prose(changes ? random(index * 104729 + run) : fixed, ANSWERS, 400) + (index % 97 === 0 ? ` The ${SEARCH_QUERY} has been withdrawn.` : '')
  return { input, output, expected: prose(fixed, ANSWERS, 200), reason: (metric: string) => `${metric}: ${prose(random(index * 31 + metric.length + (changes ? run : 0)), REASONS, 200)}` }
}

/** The finished tests of run `run` (0-based), as `onTestCaseResult` receives them. */
export function testCases(root: string, run: number) {
  const modules = SUITES.map((name) => ({ type: 'module', moduleId: join(root, name, `${name}.test.ts`) }))
  return Array.from({ length: TESTS }, (_, index) => {
    const { suite, variant, caseId, metrics, roll, base, next } = testPlan(index)
    const module = modules[suite]
    const parent = { type: 'suite', name: `${SUITES[suite]} evals`, parent: module }
    const text = texts(index, run, caseId)
    // 8% fail; from run to run, 6% drop and 4% rise; every score drifts a little with the run.
    const shift = roll < 0.06 ? -0.25 * (run % 2) : roll < 0.1 ? 0.2 * (run % 2) : 0
    const flaky = roll > 0.98
    const evals = metrics.flatMap((metric, at) => {
      const threshold = 0.5
      const center = roll > 0.9 && roll <= 0.98 && at === 0 ? 0.2 + base * 0.25 : 0.55 + base * 0.4 + 0.05 * Math.sin(run + at)
      const trials = flaky ? 3 : 1
      return Array.from({ length: trials }, (_, repeat) => {
        const score = Math.min(1, Math.max(0, center + shift + (flaky ? (repeat === 1 ? -0.45 : 0.02 * next()) : 0)))
        const judge = at === 0 ? { judge: { provider: 'openai', model: 'gpt-4o-mini', promptVersion: 'factuality@1' } } : {}
        return { metric, score, pass: score >= threshold, threshold, reason: text.reason(metric), caseId, attempt: { retry: 0, repeat }, ...judge }
      })
    })
    const calls = [
      { role: 'app', source: 'replayed', model: 'gpt-4o-mini', inputTokens: 420, outputTokens: 130, latencyMs: 900 },
      { role: 'judge', source: 'replayed', model: 'gpt-4o-mini', inputTokens: 610, outputTokens: 90, latencyMs: 700 },
    ]
    const meta = { evals, caseId, input: text.input, output: text.output, expected: text.expected, ...(variant ? { variant } : {}), cassette: { replayed: 2, recorded: 0, calls } }
    const name = `${caseId}${variant ? ` [${variant}]` : ''}`
    const state = evals.some((record) => !record.pass) && !flaky ? 'failed' : 'passed'
    return { module, parent, name, fullName: `${parent.name} > ${name}`, result: () => ({ state }), diagnostic: () => ({ flaky }), meta: () => meta }
  })
}
