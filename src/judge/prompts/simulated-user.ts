import type { z } from 'zod'
import { lazyZodSchema } from '../../lazy-schema.js'
import type { JudgePrompt } from '../prompt.js'
import { untrustedRegionsNote } from '../prompt-regions.js'

const schema = lazyZodSchema((z) => z.object({ thought: z.string(), message: z.string(), goalMet: z.boolean() }))

/** One move of the simulated user: its thought, its next message, and whether its goal is met. */
export type SimulatedUserMove = z.infer<ReturnType<typeof schema>>

/**
 * A model plays the user of the app under test (`simulateConversation`). Slots: persona and goal (as the
 * test states them), transcript (the conversation so far as regions), next (what to write now).
 */
export const simulatedUserPrompt: JudgePrompt<SimulatedUserMove> = {
  id: 'simulated-user',
  schemaName: 'simulated_user_turn',
  get schema() {
    return schema()
  },
  system:
    'You play a user of an AI assistant so that the assistant can be tested. Stay in character: write only what this user ' +
    'would write, in their voice, one message at a time; never write the assistant\'s part and never say you are simulated. ' +
    untrustedRegionsNote('from the conversation'),
  untrusted: { transcript: 'turn' },
  template: `Who you are:
<persona>
{{persona}}
</persona>

What you want from this conversation:
<goal>
{{goal}}
</goal>

The conversation so far ("user" regions are your messages, "assistant" regions the assistant's replies,
"omitted" says what was left out; the index of a region is its turn number):
{{transcript}}

{{next}}

Fill in, in this order: "thought" (where the conversation stands against your goal, and what to say next),
"message" (your next message, as this user would write it), then "goalMet": true only when the assistant's
replies so far fully achieve your goal (the conversation then ends and "message" is not sent), else false.`,
}
