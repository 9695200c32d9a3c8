import { describe, expect, test } from 'vitest'
import { compareRuns } from '../../reporters/compare.js'
import { escapeHtml, renderHtml } from '../../reporters/render-html.js'
import { ROW_FLAGS } from '../../reporters/report-data.js'
import { escapeMarkdownCell, renderMarkdown } from '../../reporters/render-markdown.js'
import { formatCost, formatDelta, modelTime, renderTerminal, sparkline } from '../../reporters/render-terminal.js'
import { historyRun } from './fixtures.js'
import { embeddedData } from './report-page-fixtures.js'

const history = [historyRun('r1', { rouge: 0.9 }), historyRun('r2', { rouge: 0.8 })]
const current = historyRun('r3', { rouge: 0.5, bleu: 1 }, { time: '2025-01-03T10:00:00.000Z' })
current.cases = [
  { suite: 'bot.test.ts > bot', test: 'bot > a', caseId: 'a', metric: 'rouge', score: 0.5, pass: false, trials: 1, output: '<script>alert(1)</script><img src=x onerror=alert(2)>', reason: 'said "<b>hi</b>" & left' },
  { suite: 'bot.test.ts > bot', test: 'bot > b', caseId: 'b', metric: 'bleu', score: 1, pass: true, trials: 3, passes: 2, flaky: true },
]
const tokens = { app: { input: 1000, output: 200 }, judge: { input: 50, output: 10 }, replayed: 1260, live: 0 }
current.groups[0]!.interval = { low: 0.41, high: 0.59 }
current.suites = [{ suite: 'bot.test.ts > bot', tests: 2, tokens, costUsd: 0.0003, latencyMs: 812, replayedLatencyMs: 812 }]
current.totals = { ...current.totals, tokens, costUsd: 0.0003 }
const comparison = compareRuns(current, history, undefined, { tolerance: 0.05, recent: 12 })

describe('terminal', () => {
  test('a table per suite with score and interval, deltas, sparkline and pass rate; a drop too few cases can tell; flaky cases', () => {
    expect(renderTerminal(current, comparison, { color: false }).join('\n')).toMatchInlineSnapshot(`
      "
      LLM eval scores (previous: 2025-01-02 10:00 · no baseline)
       bot.test.ts > bot · 1,260 tokens (app 1,200 · judge 60; 1,260 replayed · 0 live) · $0.0003 · 812 ms model time (as recorded)
         metric  score     95% CI  Δ prev  Δ base  vs        trend  pass  n
         rouge   0.500  0.41–0.59  -0.300       —  previous  █▆▁    100%  1
           dropped 0.300, but only 1 paired case (5 needed): too few cases to tell a regression from noise, not failed; add cases scored in both runs, or set gate.minScore as a floor for a small suite
         bleu    1.000          —       —       —  —         ▄      100%  1
       flaky: bot > b (bleu: 2/3 trials passed)
       run total: 1,260 tokens (app 1,200 · judge 60; 1,260 replayed · 0 live) · $0.0003"
    `)
  })

  test("the vs column names each suite metric's reference: the baseline, else its previous run (with its time when older than the run before)", () => {
    const baseline = historyRun('r1', { rouge: 0.9 }, {}, 6)
    const runs = [baseline, historyRun('r2', { rouge: 0.9, bleu: 1, judged: 1 }, {}, 6), historyRun('r3', { rouge: 0.9, judged: 1 }, {}, 6)]
    const now = historyRun('r4', { rouge: 0.9, bleu: 0.5, judged: 1 }, {}, 6)
    const lines = renderTerminal(now, compareRuns(now, runs, baseline, { tolerance: 0.05, recent: 12 }), { color: false })
    expect(lines.slice(1, 8).join('\n')).toMatchInlineSnapshot(`
      "LLM eval scores (previous: 2025-01-03 10:00 · baseline: 2025-01-01 10:00)
       bot.test.ts > bot
         metric  score  95% CI  Δ prev  Δ base  vs                         trend  pass  n
         rouge   0.900       —  ±0.000  ±0.000  baseline                   ▄▄▄▄   100%  6
       ✗ bleu    0.500       —  -0.500       —  previous 2025-01-02 10:00  █▁     100%  6
           dropped most: a 1.00 → 0.50, b 1.00 → 0.50, c 1.00 → 0.50
         judged  1.000       —  ±0.000       —  previous                   ▄▄▄    100%  6"
    `)
  })

  test("model time says when it is the recording's latency (replayed calls), not this run's", () => {
    expect(modelTime({ latencyMs: 812 })).toBe('812 ms model time')
    expect(modelTime({ latencyMs: 812, replayedLatencyMs: 812 })).toBe('812 ms model time (as recorded)')
    expect(modelTime({ latencyMs: 812.4, replayedLatencyMs: 300.2 })).toBe('812 ms model time (300 ms of it as recorded)')
  })

  test('cases awaiting a human label are listed per suite metric, also in a run with no score yet', () => {
    const awaiting = historyRun('r3', {})
    awaiting.cases = ['a', 'b'].map((id) => ({ suite: 'bot.test.ts > bot', test: `bot > ${id}`, caseId: id, metric: 'label:intent', score: 0, pass: true, trials: 1, awaitingLabel: true }))
    expect(renderTerminal(awaiting, compareRuns(awaiting, history, undefined, { tolerance: 0.05, recent: 12 }), { color: false }).join('\n')).toMatchInlineSnapshot(`
      "
       awaiting a human label (label them with \`npx llm-evals review\`):
         bot.test.ts > bot · label:intent: 2 cases"
    `)
  })

  test('flaky cases are listed by suite, then case, whatever order the tests finished in', () => {
    const flaky = (suite: string, test: string, metric: string) => ({ suite, test, caseId: test, metric, score: 1, pass: true, trials: 3, passes: 2, flaky: true })
    const finished = [flaky('b.test.ts > bot', 'bot > a', 'rouge'), flaky('a.test.ts > bot', 'bot > c', 'rouge'), flaky('b.test.ts > bot', 'bot > a', 'bleu'), flaky('a.test.ts > bot', 'bot > b', 'rouge')]
    const lines = (cases: typeof finished) => renderTerminal({ ...current, cases }, comparison, { color: false }).filter((line) => line.includes('flaky:'))
    expect(lines(finished)).toMatchInlineSnapshot(`
      [
        " flaky: bot > b (rouge: 2/3 trials passed)",
        " flaky: bot > c (rouge: 2/3 trials passed)",
        " flaky: bot > a (bleu: 2/3 trials passed)",
        " flaky: bot > a (rouge: 2/3 trials passed)",
      ]
    `)
    expect(lines([...finished].reverse())).toEqual(lines(finished))
    const markdown = (cases: typeof finished) => renderMarkdown({ ...current, cases }, comparison, []).split('\n').filter((line) => line.startsWith('- bot'))
    expect(markdown([...finished].reverse())).toEqual(markdown(finished))
  })

  test('names from the code and data (suite, metric, case) show their control characters as escapes: no OSC-8 link, no cursor move', () => {
    const suite = 'bot.test.ts > bot \u001b]8;;http://evil\u0007click\u001b]8;;\u0007'
    const hostile = historyRun('r3', { 'rouge\u001b[2K': 0.5 })
    for (const group of hostile.groups) group.suite = suite
    hostile.cases = hostile.cases!.map((each) => ({ ...each, suite, test: `bot > a\u001b[1A`, flaky: true, trials: 2, passes: 1 }))
    const lines = renderTerminal(hostile, compareRuns(hostile, [], undefined, { tolerance: 0.05, recent: 12 }), { color: true })
    const text = lines.join('\n')
    expect(text).toContain('bot.test.ts > bot \\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007')
    expect(text).toContain('rouge\\u001b[2K')
    expect(text).toContain('flaky: bot > a\\u001b[1A (rouge\\u001b[2K: 1/2 trials passed)')
    // Only the colours' own SGR sequences are left (ESC [ … m).
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).not.toMatch(/[\u0007\u001b]/)
  })

  test('colour only when asked', () => {
    expect(renderTerminal(current, comparison, { color: true }).join('\n')).toContain('\u001b[33m')
    expect(renderTerminal(current, comparison, { color: false }).join('\n')).not.toContain('\u001b[')
  })

  test('helpers', () => {
    expect(sparkline([0, 0.5, 1])).toBe('▁▅█')
    expect(formatDelta(0.8, 0.7)).toBe('+0.100')
    expect(formatDelta(0.8, undefined)).toBe('—')
    expect(formatCost(0.00123)).toBe('$0.0012')
  })
})

const embedded = embeddedData

describe('html', () => {
  const html = renderHtml({ runs: [...history, current], comparison, gateFailures: ['rouge <dropped>'] })

  test('model output and reasoning are embedded as gzipped JSON in base64: no markup, nothing can close the script element', () => {
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('alert(1)')
    expect(html).toMatch(/<script type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64">[A-Za-z0-9+/=]+<\/script>/)
    expect(embedded(html).rows[0]?.outputs[0]?.output).toBe('<script>alert(1)</script><img src=x onerror=alert(2)>')
    expect(embedded(html).rows[0]?.cells[0]?.reason).toBe('said "<b>hi</b>" & left')
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&#60;a href=&#39;x&#39;&#62;&#38;&#34;')
  })

  test('self-contained: a CSP forbids network, every script carries its nonce or is data', () => {
    expect(html).toMatch(/default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-[^']+'/)
    expect(html).not.toMatch(/(src|href)="https?:/)
    expect(html.match(/<script/g)).toHaveLength(3)
    expect(html.match(/<script nonce="[^"]+">/g)).toHaveLength(2)
  })

  test('one row per case, a column per metric; failing, regressed and flaky cases are flagged', () => {
    const data = embedded(html)
    expect(data.suites).toEqual([{ name: 'bot.test.ts > bot', columns: [{ metric: 'rouge' }, { metric: 'bleu' }] }])
    expect(data.rows.map((row) => [row.id, row.flags])).toEqual([
      ['a', ROW_FLAGS.failing | ROW_FLAGS.regressed],
      ['b', ROW_FLAGS.flaky],
    ])
  })
})

describe('html reference', () => {
  test("a case's before score is from the run its suite metric is compared with", () => {
    const baseline = historyRun('r1', { rouge: 0.9 })
    const runs = [baseline, historyRun('r2', { rouge: 0.9, bleu: 1 })]
    const now = historyRun('r3', { rouge: 0.9, bleu: 0.5 })
    const data = embedded(renderHtml({ runs: [...runs, now], comparison: compareRuns(now, runs, baseline, { tolerance: 0.05, recent: 12 }), gateFailures: [] }))
    // rouge against the baseline (r1), bleu against the previous run (r2): the baseline has no bleu.
    expect(data.rows[0]?.cells.map((cell) => [cell?.score, cell?.before])).toEqual([
      [0.9, 0.9],
      [0.5, 1],
    ])
    expect(data.rows[0]?.flags).toBe(ROW_FLAGS.regressed)
  })
})

describe('markdown', () => {
  test('a table with deltas, escaped cells, flaky cases and the gate result', () => {
    const markdown = renderMarkdown(current, comparison, ['rouge | <dropped>'])
    expect(markdown).toContain('- rouge \\| &lt;dropped&gt;')
    expect(markdown).toContain('| bot.test.ts > bot | rouge | 0.500 | 0.41–0.59 | -0.300 | — | previous | █▆▁ | 100% | 1 |'.replace('>', '&gt;'))
    expect(markdown).toContain('**Drops not failed (too few cases, or within noise):**\n\n- bot.test.ts &gt; bot · rouge: dropped 0.300, but only 1 paired case (5 needed): too few cases to tell')
    expect(markdown).toContain('- bot &gt; b (bleu)')
    expect(escapeMarkdownCell('a|b\n<c>')).toBe('a\\|b &lt;c&gt;')
  })
})

describe('html interval bands (drawn by report-charts.ts, tested there)', () => {
  test('a malformed interval in a hand-edited history line never reaches the page as markup', () => {
    const runs = [historyRun('r1', { rouge: 0.8 }), historyRun('r2', { rouge: 0.7 })]
    runs[0]!.groups[0]!.interval = { low: '"/><script>' as unknown as number, high: 2 }
    runs[1]!.groups[0]!.interval = { low: 0.6, high: 0.8 }
    const page = renderHtml({ runs, comparison: compareRuns(runs[1]!, runs.slice(0, 1), undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] })
    expect(page).not.toContain('"/><script>')
  })
})
