// One move of a model playing the user: it reads the conversation so far (the app's replies in boundary
// regions, as untrusted text) and writes its next message, or says its goal is met. Its calls go through the
// judge layer (limits, timeouts, validation, retry) tagged `simulator`, so a dialogue replays exactly.
import type { Judge } from '../judge/judge.js'
import { boundedAsStored } from '../judge/stored-cuts.js'
import { simulatedUserPrompt, type SimulatedUserMove } from '../judge/prompts/simulated-user.js'
import { runJudge } from '../judge/run-judge.js'
import type { ScoreUsage } from '../metrics/score-record.js'
import { DEFAULT_RENDER_LIMITS } from './bound-regions.js'
import { conversationRegions } from './render-trace.js'
import type { ConversationTurn } from './types.js'

/** Who the simulated user is and what it wants, as the test states them. */
export interface SimulatedUserProfile {
  persona: string
  goal: string
}

/** The simulated user's move, and the tokens it cost. */
export interface SimulatedUserTurn extends SimulatedUserMove {
  usage: ScoreUsage
}

const OPENING = 'No messages yet: write your opening message to the assistant ("goalMet" must be false).'
const NEXT = 'Write your next message to the assistant, or set "goalMet" if your goal is already met.'

/**
 * Asks the simulated user for its next move given the turns so far (none: its opening message).
 *
 * @example
 * const move = await simulatedUserMove(judge, { persona: 'A hurried customer', goal: 'Get a refund for order 123' }, turns)
 */
export async function simulatedUserMove(judge: Judge, profile: SimulatedUserProfile, turns: readonly ConversationTurn[], signal?: AbortSignal): Promise<SimulatedUserTurn> {
  // A user sees what the app says, never its tool calls: turn traces are left out. A transcript that is cut is cut
  // as the cassette stores it (see `boundedAsStored`): cut live, a long reply holding a key missed in replay.
  const said = { turns: turns.map(({ user, assistant }) => ({ user, assistant })) }
  const transcript = (await boundedAsStored((limits) => conversationRegions(said, limits), 'turn', DEFAULT_RENDER_LIMITS)).regions
  const run = await runJudge(judge, {
    matcherName: 'simulateConversation',
    role: 'simulator',
    prompt: simulatedUserPrompt,
    variables: { persona: profile.persona, goal: profile.goal, transcript, next: turns.length === 0 ? OPENING : NEXT },
    check: (move) => (!move.goalMet && move.message.trim() === '' ? '"message" is empty while "goalMet" is false: write the next message' : undefined),
    samples: 1,
    ...(signal ? { signal } : {}),
  })
  return { ...run.samples[0]!.output, usage: run.usage }
}
