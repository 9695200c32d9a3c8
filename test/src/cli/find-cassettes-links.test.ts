import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { findCassettes } from '../../../src/cli/find-cassettes.js'

test('a cassettes folder that is a symbolic link (a shared folder, written through by recording) is searched, once, and a loop ends', () => {
  const base = mkdtempSync(join(tmpdir(), 'find-links-'))
  const shared = join(base, 'shared')
  const root = join(base, 'project')
  mkdirSync(shared)
  mkdirSync(join(root, 'test'), { recursive: true })
  writeFileSync(join(shared, 'chat.test.ts.cassette.json'), '{}')
  symlinkSync(shared, join(root, 'test', '__cassettes__'))
  symlinkSync(shared, join(root, 'test', 'again'))
  symlinkSync(join(root, 'test'), join(root, 'test', 'loop'))
  symlinkSync(join(base, 'missing'), join(root, 'dangling'))
  expect(findCassettes(root)).toEqual([join(root, 'test', '__cassettes__', 'chat.test.ts.cassette.json')])
})
