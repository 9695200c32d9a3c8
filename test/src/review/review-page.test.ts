// The review page in a real browser: headless Chromium (test/support/chromium.ts finds it) driven by playwright-core.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { CaseScore } from '../../../src/history/run-record.js'
import { appendLabel, readLabels } from '../../../src/review/labels-file.js'
import { startReviewServer, type ReviewServer } from '../../../src/review/review-server.js'
import { chromiumFor, launchChromium } from '../../support/chromium.js'
import { agentCases, HOSTILE_OUTPUT, reviewCases, reviewProject, runWith, trialCases } from './fixtures.js'
import { HOSTILE } from '../../reporters/trajectory-fixtures.js'

const browser = chromiumFor('the review page')

describe.skipIf(!browser)('review page in headless Chromium', () => {
  let dir: string
  let context: BrowserContext
  let server: ReviewServer
  const project = reviewProject([runWith(reviewCases())])

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'review-page-'))
    context = await launchChromium(browser, join(dir, 'profile'))
    server = await startReviewServer({ ...project, port: 0, reviewer: 'ana' })
  })
  afterAll(async () => {
    await server?.close()
    await context?.close()
    if (dir && !process.env.KEEP_REVIEW_SCREENSHOT) rmSync(dir, { recursive: true, force: true })
  })

  test('labels three cases by keyboard, keeps them after a reload, and shows hostile output as text', async () => {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()))
    await page.goto(server.url)
    const rows = page.locator('#rows tr.row')
    await expect.poll(() => rows.count()).toBe(4)
    const selectedCase = () => page.locator('#detail h2').innerText()
    expect(await selectedCase()).toBe('refund · rubric:helpful')

    // refund: pass (then the selection moves on); hostile: fail with a note; late: pass.
    await page.keyboard.press('p')
    await expect.poll(selectedCase).toBe('hostile · rubric:helpful')
    await page.keyboard.press('f')
    await expect.poll(selectedCase).toBe('late · rubric:helpful')
    await page.keyboard.press('k')
    await expect.poll(selectedCase).toBe('hostile · rubric:helpful')
    await page.keyboard.press('n')
    await page.keyboard.type('<b>unhelpful</b> and unsafe')
    await page.keyboard.press('Enter')
    await expect.poll(() => readLabels(project.labelsFile).labels.length).toBe(3)
    await page.keyboard.press('j')
    await page.keyboard.press('p')
    await expect.poll(() => readLabels(project.labelsFile).labels.length).toBe(4)

    const { labels, problems: fileProblems } = readLabels(project.labelsFile)
    expect(fileProblems).toEqual([])
    expect(labels.map(({ caseId, metric, label, note, by, outputHash }) => ({ caseId, metric, label, note, by, hashed: /^sha256:[0-9a-f]{16}$/.test(outputHash ?? '') }))).toEqual([
      { caseId: 'refund', metric: 'rubric:helpful', label: 'pass', note: undefined, by: 'ana', hashed: true },
      { caseId: 'hostile', metric: 'rubric:helpful', label: 'fail', note: undefined, by: 'ana', hashed: true },
      { caseId: 'hostile', metric: 'rubric:helpful', label: 'fail', note: '<b>unhelpful</b> and unsafe', by: 'ana', hashed: true },
      { caseId: 'late', metric: 'rubric:helpful', label: 'pass', note: undefined, by: 'ana', hashed: true },
    ])
    expect(readFileSync(project.labelsFile, 'utf8').trim().split('\n')).toHaveLength(4)

    await page.reload()
    await expect.poll(() => rows.count()).toBe(4)
    expect(await page.locator('#rows tr.row td:nth-child(5)').allInnerTexts()).toEqual(['pass', 'fail', 'pass', ''])

    // Hostile output, reason and note are text: no element was created from them and nothing ran.
    await page.locator('#rows tr.row').nth(1).click()
    const pres = page.locator('#detail pre')
    expect(await pres.allInnerTexts()).toEqual(['Say something', HOSTILE_OUTPUT, '<i>not</i> helpful'])
    expect(await page.locator('#note').inputValue()).toBe('<b>unhelpful</b> and unsafe')
    expect(await page.locator('body script:not([src]), body img, body b, body i').count()).toBe(0)
    expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked)).toBeUndefined()
    await page.screenshot({ path: join(dir, 'review-hostile.png'), fullPage: true })

    // Filters: unlabelled leaves "rude"; agreement counts the three labelled rows.
    await page.keyboard.press('u')
    expect(await page.locator('#rows tr.row td:first-child div:first-child').allInnerTexts()).toEqual(['rude'])
    await page.keyboard.press('y')
    expect(await page.locator('#shown').innerText()).toBe('1 of 4 rows')
    await page.keyboard.press('a')
    expect(await page.locator('#agreement .stats').innerText()).toContain('n 3 · accuracy 1.000')
    expect(await page.locator('#agreement table.confusion').innerText()).toMatch(/fail\s+1\s+0\s*\n\s*pass\s+0\s+2/)

    const screenshot = join(dir, 'review.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    console.log(`review page screenshot: ${screenshot}`)
    expect(problems).toEqual([])
  })

  test('an agent case shows its transcript and trace beside the output, hostile text as text, and labels one turn', async () => {
    const agent = reviewProject([runWith(agentCases())])
    const agentServer = await startReviewServer({ ...agent, port: 0 })
    try {
      const page = await context.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      await page.goto(agentServer.url)
      await expect.poll(() => page.locator('#detail .conversation li.turn').count()).toBe(2)
      expect(await page.locator('#detail h3').allTextContents()).toEqual(['Output', 'Conversation (2 turns; label a turn with its buttons)', 'Trace (3 steps)', 'Human label (the whole trajectory)'])
      expect(await page.locator('#detail li.step .step-head').allInnerTexts()).toEqual([
        'step 1 · gpt-4.1-mini · 1,200 in / 40 out tokens · 812 ms · 2 calls in parallel',
        'step 2 · gpt-4.1-mini · 1,300 in / 30 out tokens · 640 ms',
        'step 3 · gpt-4.1-mini · 1,400 in / 20 out tokens · 410 ms',
      ])
      expect(await page.locator('#detail li.call code.tool').allInnerTexts()).toEqual(['lookup_order', 'check_policy', 'issue_refund'])
      expect(await page.locator('#detail pre.error').innerText()).toBe(`refund service down ${HOSTILE}`)
      expect(await page.locator('#detail pre.user').first().innerText()).toBe(`Refund order 123 ${HOSTILE}`)
      expect(await page.locator('body img, body script:not([src])').count()).toBe(0)

      // Label turn 2 as failed: stored under the case and turn, shown after the reload of the state.
      await page.locator('#detail li.turn').nth(1).getByRole('button', { name: 'fail' }).click()
      await expect.poll(() => readLabels(agent.labelsFile).labels.map(({ caseId, metric, label }) => [caseId, metric, label])).toEqual([['refund-agent', 'turn:2', 'fail']])
      await expect.poll(() => page.locator('#detail li.turn .turn-label span').allInnerTexts()).toEqual(['turn not labelled', 'turn label: fail'])
      expect(await page.locator('#rows tr.row td:nth-child(5)').allInnerTexts()).toEqual(['', ''])
      await page.screenshot({ path: join(dir, 'review-agent.png'), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await agentServer.close()
    }
  })

  test('an ordinal (1..N) label reads the quadratic-weighted kappa, as the reports do', async () => {
    // Grader 1, 2, 3; humans 1, 3, 3 → quadratic-weighted kappa 0.800 (unweighted it would be 0.500).
    const scale = (caseId: string, automatedLabel: number) =>
      ({ suite: 'bot.test.ts > bot', test: `bot > ${caseId}`, caseId, metric: 'label:quality', score: 0, pass: false, trials: 1, output: `out ${caseId}`, automatedLabel }) as CaseScore
    const ordinal = reviewProject([runWith([scale('a', 1), scale('b', 2), scale('c', 3)])])
    for (const [caseId, label] of [['a', 1], ['b', 3], ['c', 3]] as const) appendLabel(ordinal.labelsFile, { caseId, metric: 'quality', label })
    const ordinalServer = await startReviewServer({ ...ordinal, port: 0 })
    try {
      const page = await context.newPage()
      await page.goto(ordinalServer.url)
      await page.keyboard.press('a')
      await expect.poll(() => page.locator('#agreement .stats').innerText()).toContain('quadratic-weighted kappa 0.800')
    } finally {
      await ordinalServer.close()
    }
  })

  test('the same case id in two suites: a label goes to the selected row\'s suite only, and a legacy label of the shared id is named once', async () => {
    const shared = (suite: string) => ({ suite, test: 'refunds > q1', caseId: 'q1', metric: 'helpful', score: 1, pass: true, trials: 1, output: `from ${suite}` }) as CaseScore
    const twoSuites = reviewProject([runWith([shared('a.test.ts > refunds'), shared('b.test.ts > refunds')])])
    appendLabel(twoSuites.labelsFile, { caseId: 'q1', metric: 'helpful', label: 'fail' })
    const twoServer = await startReviewServer({ ...twoSuites, port: 0 })
    try {
      const page = await context.newPage()
      await page.goto(twoServer.url)
      await expect.poll(() => page.locator('#rows tr.row').count()).toBe(2)
      await expect.poll(() => page.locator('#legacy-labels').isVisible()).toBe(true)
      expect(await page.locator('#legacy-labels').innerText()).toContain('q1 (helpful): in a.test.ts > refunds, b.test.ts > refunds')
      await page.keyboard.press('j')
      await page.keyboard.press('p')
      await expect.poll(() => readLabels(twoSuites.labelsFile).labels.at(-1)).toMatchObject({ caseId: 'q1', label: 'pass', suite: 'b.test.ts > refunds' })
      await expect.poll(() => page.locator('#rows tr.row td:nth-child(5)').allInnerTexts()).toEqual(['', 'pass'])
    } finally {
      await twoServer.close()
    }
  })

  test('a case run 3 times shows each trial as its own row, with its own output; a label is saved on the trial shown', async () => {
    const trials = reviewProject([runWith(trialCases())])
    const trialServer = await startReviewServer({ ...trials, port: 0, reviewer: 'ana' })
    try {
      const page = await context.newPage()
      const problems: string[] = []
      page.on('pageerror', (error) => problems.push(error.message))
      await page.goto(trialServer.url)
      await expect.poll(() => page.locator('#rows tr.row').count()).toBe(3)
      expect(await page.locator('#rows tr.row .trial').allInnerTexts()).toEqual(['trial 1 of 3', 'trial 2 of 3', 'trial 3 of 3'])
      expect(await page.locator('#rows tr.row td:nth-child(3)').allInnerTexts()).toEqual(['0.900', '0.000', '0.900'])
      expect(await page.locator('#rows tr.row td:nth-child(4)').allInnerTexts()).toEqual(['pass', 'fail', 'pass'])

      // Trial 2: its own (hostile) output and reason, as text.
      await page.keyboard.press('j')
      await expect.poll(() => page.locator('#detail h2').innerText()).toBe('refund · rubric:helpful · trial 2 of 3')
      expect(await page.locator('#detail pre').allInnerTexts()).toEqual(['I want my money back', HOSTILE_OUTPUT, '<i>not</i> helpful'])
      expect(await page.locator('#detail h3').allTextContents()).toEqual(['Input', 'Output of trial 2 of 3', 'Judge reasoning / reasons', 'Human label of trial 2 of 3'])
      expect(await page.locator('body script:not([src]), body img, body i').count()).toBe(0)
      expect(await page.evaluate(() => (globalThis as { hacked?: boolean }).hacked)).toBeUndefined()

      // Trial 3 passed (the mean did not): a pass label agrees with it.
      await page.keyboard.press('j')
      await page.keyboard.press('p')
      await expect.poll(() => readLabels(trials.labelsFile).labels.map(({ caseId, trial, label }) => [caseId, trial, label])).toEqual([['refund', 3, 'pass']])
      await expect.poll(() => page.locator('#rows tr.row td:nth-child(5)').allInnerTexts()).toEqual(['', '', 'pass'])
      expect(await page.locator('#rows .badge.disagree').count()).toBe(0)
      await expect.poll(() => page.locator('#agreement .stats').innerText()).toContain('n 1 · accuracy 1.000')
      await page.screenshot({ path: join(dir, 'review-trials.png'), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await trialServer.close()
    }
  })
})
