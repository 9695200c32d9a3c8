// A `recordTool` recording of a throw keeps the error's name, message and code: a replay throws an `Error` with
// only those. Other fields of the error (an HTTP status, details) are lost, and an app that reads them or puts the
// error into its next prompt behaves differently in replay. A thrown value that is not an `Error` is kept whole
// when it is plain data; one that is not (a class instance, a Date) replays as an `Error` with its text.
// Said once, when the throw is recorded.
import { toolValueProblem } from './tool-json.js'

/** What every recorded throw keeps, or what Node puts on every error. */
const KEPT = new Set(['name', 'message', 'code', 'stack', 'cause'])

/**
 * The warning for a tool's thrown error whose own fields a replay will not have, or undefined when it has none.
 *
 * @example
 * lostErrorFieldsWarning('lookup_order', Object.assign(new Error('not found'), { status: 404 })) // '[vitest-llm-evals] Tool "lookup_order" threw …'
 */
export function lostErrorFieldsWarning(tool: string, thrown: unknown): string | undefined {
  if (!(thrown instanceof Error)) return unkeptThrowWarning(tool, thrown)
  const lost = Object.keys(thrown).filter((field) => !KEPT.has(field))
  if (lost.length === 0) return undefined
  const fields = lost.slice(0, 5).join(', ') + (lost.length > 5 ? `, +${lost.length - 5} more` : '')
  return (
    `[vitest-llm-evals] Tool "${tool}" threw ${thrown.name} with fields its recording does not keep (${fields}): a replay throws an Error ` +
    'with only its name, message and code. If your app reads those fields (or puts the error into a prompt), the replay differs from the recording; ' +
    'carry what matters in the message or code, or return an error result instead of throwing. (Told once per tool and file.)'
  )
}

/** The warning for a thrown value that is not an `Error` and that its recording cannot keep (it is not JSON). */
function unkeptThrowWarning(tool: string, thrown: unknown): string | undefined {
  // A thrown value that a result could be (plain data: see toolValueProblem) is kept whole.
  const problem = toolValueProblem(thrown, 'the thrown value')
  if (!problem) return undefined
  return (
    `[vitest-llm-evals] Tool "${tool}" threw a value that is not an Error and that its recording cannot keep (${problem.path} is ${problem.found}, not JSON): ` +
    'a replay throws an Error whose message is its text instead. If your app reads what the tool throws, the replay differs from the recording; ' +
    'throw an Error (its name, message and code are kept) or a plain JSON object. (Told once per tool and file.)'
  )
}
