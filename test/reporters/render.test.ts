import { describe, expect, test } from 'vitest'
import { compareRuns } from '../../reporters/compare.js'
import { escapeHtml, renderHtml } from '../../reporters/render-html.js'
import { escapeMarkdownCell, renderMarkdown } from '../../reporters/render-markdown.js'
import { formatCost, formatDelta, modelTime, renderTerminal, sparkline } from '../../reporters/render-terminal.js'
import { historyRun } from './fixtures.js'

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

describe('html', () => {
  const html = renderHtml({ runs: [...history, current], comparison, gateFailures: ['rouge <dropped>'] })

  test('model output, reasoning and gate text are escaped', () => {
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
    expect(html).toContain('said &#34;&#60;b&#62;hi&#60;/b&#62;&#34; &#38; left')
    expect(html).toContain('rouge &#60;dropped&#62;')
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&#60;a href=&#39;x&#39;&#62;&#38;&#34;')
  })

  test('self-contained: a CSP forbids network, the only script carries its nonce', () => {
    expect(html).toMatch(/default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-[^']+'/)
    expect(html).not.toMatch(/(src|href)="https?:/)
    expect(html.match(/<script/g)).toHaveLength(1)
  })

  test('one chart per suite, one line per metric; failing, regressed and flaky cases are marked', () => {
    expect(html.match(/<svg/g)).toHaveLength(1)
    expect(html.match(/<polyline/g)).toHaveLength(2)
    expect(html).toContain('data-failing="true" data-regressed="true" data-flaky="false"')
    expect(html).toContain('data-failing="false" data-regressed="false" data-flaky="true"')
  })
})

describe('html reference', () => {
  test("the suite table names each suite metric's reference; a case's Δ is against that same run", () => {
    const baseline = historyRun('r1', { rouge: 0.9 })
    const runs = [baseline, historyRun('r2', { rouge: 0.9, bleu: 1 })]
    const now = historyRun('r3', { rouge: 0.9, bleu: 0.5 })
    const page = renderHtml({ runs: [...runs, now], comparison: compareRuns(now, runs, baseline, { tolerance: 0.05, recent: 12 }), gateFailures: [] })
    expect(page).toContain('<th>Δ base</th><th>vs</th>')
    expect(page).toContain('<td title="run r1">baseline</td>')
    expect(page).toContain('<td title="run r2">previous</td>')
    expect(page).toMatch(/<tr class="case" data-failing="false" data-regressed="true" data-flaky="false"><td>bot\.test\.ts &#62; bot<\/td><td>a<div class="sub">bot &#62; a<\/div><\/td><td>bleu<\/td><td class="num">0\.500<\/td><td class="num">-0\.500<\/td>/)
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

describe('html interval bands', () => {
  test("each series is shaded by its runs' intervals; a run without one (older history) breaks the band and still loads", () => {
    const runs = [historyRun('r1', { rouge: 0.8 }), historyRun('r2', { rouge: 0.7 }), historyRun('r3', { rouge: 0.75 }), historyRun('r4', { rouge: 0.9 })]
    runs[1]!.groups[0]!.interval = { low: 0.6, high: 0.8 }
    runs[2]!.groups[0]!.interval = { low: 0.65, high: 0.85 }
    runs[3]!.groups[0]!.interval = { low: 0.85, high: 0.95 }
    const page = renderHtml({ runs, comparison: compareRuns(runs[3]!, runs.slice(0, 3), undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] })
    // r1 has no interval; r2–r4 form one band: the upper edge forward, the lower edge back.
    expect(page.match(/<polygon class="band"/g)).toHaveLength(1)
    const polygon = /<polygon class="band" fill="#2563eb" fill-opacity="0.15" points="([^"]+)"\/>/.exec(page)?.[1]
    expect(polygon?.split(' ')).toHaveLength(6)
    expect(page).toContain('rouge · 2025-01-02 10:00: 0.700 (95% CI 0.60–0.80)')
    expect(page).toContain('rouge · 2025-01-01 10:00: 0.800</title>')
  })

  test('a lone run with an interval gets a bar; a malformed interval in a hand-edited line is ignored', () => {
    const runs = [historyRun('r1', { rouge: 0.8 }), historyRun('r2', { rouge: 0.7 })]
    runs[0]!.groups[0]!.interval = { low: '"/><script>' as unknown as number, high: 2 }
    runs[1]!.groups[0]!.interval = { low: 0.6, high: 0.8 }
    const page = renderHtml({ runs, comparison: compareRuns(runs[1]!, runs.slice(0, 1), undefined, { tolerance: 0.05, recent: 12 }), gateFailures: [] })
    expect(page.match(/<line class="band"/g)).toHaveLength(1)
    expect(page).not.toContain('<polygon')
    expect(page).not.toContain('"/><script>')
  })
})
