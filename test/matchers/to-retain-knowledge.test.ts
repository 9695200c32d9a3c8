import { describe, expect, test } from 'vitest'
import type { Conversation } from '../../src/agents/types.js'
import { ConfigError, JudgeError } from '../../src/errors/index.js'
import { enqueueVerdict, PROVIDERS, scriptedJudge } from '../src/judge/scripted-judges.js'
import { recordsOf, useScriptedServer } from './judged-support.js'
import { failureOf, registerMatchers } from './support.js'

registerMatchers()
const scripted = useScriptedServer()

const conversation: Conversation = {
  turns: [
    { user: 'Hi, my order number is 123 and I live in Lyon.', assistant: 'Thanks! How can I help?' },
    { user: 'Where is my parcel?', assistant: 'Could you give me your order number?' },
    { user: 'I said: 123.', assistant: 'Order 123 reaches Lyon on Friday.' },
  ],
  messages: [],
  ended: { reason: 'script-done', turns: 3 },
}

type Verdict = 'retained' | 'forgot' | 'nothing-to-retain'
const verdicts = (...items: Array<[Verdict, string?]>) => ({
  turns: items.map(([verdict, knowledge = ''], at) => ({ index: at + 1, knowledge, reasoning: `reply ${at + 1}: ${verdict}`, verdict })),
})

describe.each(PROVIDERS)('.toRetainKnowledge with %s as judge', (provider) => {
  const judge = () => scriptedJudge(scripted.server, provider)

  test('passes when no reply forgets what the user said, recording a verdict per reply', async ({ task }) => {
    enqueueVerdict(scripted.server, provider, 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['retained', 'order 123'], ['retained', 'order 123, Lyon']))
    await expect(conversation).toRetainKnowledge({ judge: judge() })
    const record = recordsOf(task)[0]!
    expect(record).toMatchObject({ metric: 'knowledge-retention', score: 1, pass: true, threshold: 1, details: { retained: 2, forgot: 0 }, judge: { provider, promptVersion: expect.stringMatching(/^knowledge-retention@/) } })
    expect((record.details as { turns: unknown[] }).turns).toHaveLength(3)
  })

  test('fails when a reply asks again for what the user already said, naming the turn', async () => {
    enqueueVerdict(scripted.server, provider, 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['forgot', 'order number 123'], ['retained', 'order 123, Lyon']))
    expect(await failureOf(expect(conversation).toRetainKnowledge({ judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).toRetainKnowledge()

      Expected output to retain what the user said in earlier turns (score >= 1.00).

      Score:     0.50 (knowledge retention)
      Threshold: 1.00
      Reasons:
        - conversation: 3 turns, ended: script-done
        - 1 of 2 replies that needed what the user said kept it
        - ✗ turn 2 forgot "order number 123" — judge: "reply 2: forgot"
      Output:
        user: Hi, my order number is 123 and I live in Lyon.
        assistant: Thanks! How can I help?
        user: Where is my parcel?
        assistant: Could you give me your order number?
        user: I said: 123.
        assistant: Order 123 reaches Lyon on Friday."
    `)
  })
})

describe('.not.toRetainKnowledge', () => {
  const judge = () => scriptedJudge(scripted.server, 'openai')

  test('passes when a reply forgets; a threshold of 0.5 tolerates one forgetful reply in two', async () => {
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['forgot', '123'], ['retained', '123']))
    await expect(conversation).not.toRetainKnowledge({ judge: judge() })
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['forgot', '123'], ['retained', '123']))
    await expect(conversation).toRetainKnowledge({ judge: judge(), threshold: 0.5 })
  })

  test('fails when every reply keeps what the user said', async () => {
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['retained', '123'], ['retained', '123']))
    expect(await failureOf(expect(conversation).not.toRetainKnowledge({ judge: judge() }))).toMatchInlineSnapshot(`
      "expect(output).not.toRetainKnowledge()

      Expected output not to retain what the user said in earlier turns (score >= 1.00).

      Score:     1.00 (knowledge retention)
      Threshold: 1.00
      Reasons:
        - conversation: 3 turns, ended: script-done
        - 2 of 2 replies that needed what the user said kept it
      Output:
        user: Hi, my order number is 123 and I live in Lyon.
        assistant: Thanks! How can I help?
        user: Where is my parcel?
        assistant: Could you give me your order number?
        user: I said: 123.
        assistant: Order 123 reaches Lyon on Friday."
    `)
  })

  test('shows the judge each turn in its own user / assistant region, numbered by turn', async () => {
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['nothing-to-retain'], ['retained'], ['retained']))
    await expect(conversation).toRetainKnowledge({ judge: judge() })
    const prompt = JSON.stringify(scripted.server.requests[0]?.body)
    expect(prompt).toMatch(/<assistant-([0-9a-f]{12}) index=\\"2\\">\\nCould you give me your order number\?\\n<\/assistant-\1>/)
    expect(prompt).toContain('For every assistant reply (turns 1, 2, 3)')
  })

  test('a verdict list that misses a reply is invalid: retried once, then a JudgeError (fail closed)', async () => {
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['retained'], ['retained']))
    enqueueVerdict(scripted.server, 'openai', 'knowledge_retention_verdict', verdicts(['retained'], ['retained']))
    const failure = expect(conversation).not.toRetainKnowledge({ judge: judge() })
    await expect(failure).rejects.toThrow(JudgeError)
    await expect(failure).rejects.toThrow(/expected one verdict per assistant reply with index 1, 2, 3, got indexes \[1, 2\]/)
  })
})

describe('toRetainKnowledge misuse', () => {
  test('throws a ConfigError when the received value is not a conversation', () => {
    const judge = scriptedJudge(scripted.server, 'openai')
    expect(() => expect('Order 123 reaches Lyon on Friday.').toRetainKnowledge({ judge })).toThrow(ConfigError)
    expect(() => expect('Order 123 reaches Lyon on Friday.').toRetainKnowledge({ judge })).toThrow(
      'toRetainKnowledge() judges a conversation: pass the result of simulateConversation() (or { turns: [{ user, assistant }], messages }), got string. To judge one reply, use a matcher on `conversation.turns[i].assistant`.',
    )
    expect(() => expect({ steps: [], toolCalls: [], output: '' }).toRetainKnowledge({ judge })).toThrow(/got an object with keys "steps", "toolCalls", "output"/)
    expect(() => expect({ ...conversation, turns: [] }).toRetainKnowledge({ judge })).toThrow(/no turns/)
    expect(() => expect(conversation).toRetainKnowledge({ judge, threshold: -1 })).toThrow(/toRetainKnowledge\(\) got invalid options/)
    expect(scripted.server.requests).toHaveLength(0)
  })
})
