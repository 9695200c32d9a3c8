// Review wt-sec 8b26dc1, still on b69199d (1583c1e narrowed it to base64 with a capital, digit or +/= after its first
// character, which every acronym and number is: "basic RAG", "basic HTTP", "basic SQL", "Basic 2024"). The prefilter of shown text (KNOWN_SECRET_HINT, tested on every string of every test's meta)
// now matches the English word "basic" followed by a space, so prose that says "basic" runs every token pattern:
// 5 MB of prose saying "basic RAG" 10 ms before wt-sec, 391 ms on b69199d; the meta of 50,000 such outputs 6 ms ->
// 492 ms (bench: ACRONYM=1 test/review-rsec/basic-prose-bench.test.ts). Fails on wt-sec: the hint should need base64 that can be
// credentials after the word (or route "Basic" to the Basic check alone).
import { expect, test } from 'vitest'
import { KNOWN_SECRET_HINT } from '../../src/cassettes/redact.js'

test.each(['The basic idea is simple.', 'Basic training starts Monday.', 'a BASIC interpreter', 'basic usage of the API', 'The basic RAG setup is simple.', 'Use basic HTTP auth only in tests.', 'a basic SQL query', 'basic GPT-4o prompts', 'Basic 2024 plan'])('the prefilter passes prose: %s', (text) => {
  expect(KNOWN_SECRET_HINT.test(text)).toBe(false)
})
