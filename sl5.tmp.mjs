import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
const ms = (c) => ((c.user + c.system) / 1000).toFixed(0)
const c0 = process.cpuUsage()
const core = await import('@secretlint/core')
if (process.argv[2] === 'off') { const req = createRequire(createRequire(import.meta.url).resolve('@secretlint/core')); const { secretLintProfiler } = await import(pathToFileURL(req.resolve('@secretlint/profiler')).href); secretLintProfiler.setEnabled(false) }
const { creator } = await import('@secretlint/secretlint-rule-preset-recommend')
const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] }
const lint = (content) => core.lintSource({ source: { filePath: 'x.txt', content, contentType: 'text' }, options: { config, noPhysicFilePath: true } })
await lint('warm-up'); const c1 = process.cpuUsage(c0)
const text = JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ caseId: `case-${i}`, input: 'What is the refund policy for order ' + i, output: 'The refund policy allows returns within 30 days of purchase for order ' + i })))
for (let i = 0; i < 8; i++) await lint(text)
const c2 = process.cpuUsage(c0)
console.log(process.argv[2] ?? 'on', 'load+first', ms(c1), 'total after 8 scans of', text.length, ms(c2))
