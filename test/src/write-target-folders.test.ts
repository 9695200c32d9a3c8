import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { writeFileAtomic } from '../../src/atomic-files.js'
import { LlmEvalsError } from '../../src/errors/index.js'
import { writeTargetOf } from '../../src/write-target.js'

test('a cassettes folder linked to a shared folder that is not there is the dangling-link error, and nothing is written', () => {
  const base = mkdtempSync(join(tmpdir(), 'target-folders-'))
  const link = join(base, '__cassettes__')
  symlinkSync(join(base, 'not-mounted', 'cassettes'), link)
  const write = () => writeFileAtomic(join(link, 'chat.test.ts.cassette.json'), '{}')
  expect(write).toThrow(LlmEvalsError)
  expect(write).toThrow(/__cassettes__: it is a symbolic link to .*not-mounted.*dangling/)
  expect(lstatSync(link).isSymbolicLink()).toBe(true)
  expect(existsSync(join(base, 'not-mounted'))).toBe(false)
})

test('a new file in folders not made yet under a linked folder resolves through the link, the same before and after they are made', () => {
  const base = mkdtempSync(join(tmpdir(), 'target-folders-'))
  mkdirSync(join(base, 'shared'))
  symlinkSync(join(base, 'shared'), join(base, 'evals'))
  const file = join(base, 'evals', 'new', 'deeper', 'history.jsonl')
  const before = writeTargetOf(file)
  expect(before).toBe(join(base, 'shared', 'new', 'deeper', 'history.jsonl'))
  writeFileAtomic(file, 'x')
  expect(writeTargetOf(file)).toBe(before)
  expect(readFileSync(join(base, 'shared', 'new', 'deeper', 'history.jsonl'), 'utf8')).toBe('x')
})
