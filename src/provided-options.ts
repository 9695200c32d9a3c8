// What the plugin hands to workers, from validated options. Apart from `config.ts` (the zod schema) so that
// the plugin entry resolves options without loading zod: the schema is loaded only when options need it
// (see quick-options.ts and BENCHMARKS.md, issue 17).
import type { z } from 'zod'
import type { NormalizeRequest } from './cassettes/canonical.js'
import { resolveCassetteMode } from './cassettes/mode.js'
import { DEFAULT_MAX_INLINE_BYTES } from './cassettes/worker-options.js'
import { compileFunction } from './compile-function.js'
import type { optionsSchema, ProvidedOptions } from './config.js'
import { ConfigError } from './errors/index.js'

/** Options as `optionsSchema` returns them: validated, every key still optional. */
export type ParsedOptions = z.infer<typeof optionsSchema>

/**
 * Turns a function into source text a worker can rebuild; it must not use variables from outside.
 *
 * @example
 * functionSource((request) => ({ ...request, path: '/' })) // '(request) => ({ ...request, path: \'/\' })'
 */
export function functionSource(fn: (...args: never[]) => unknown): string {
  return fn.toString()
}

/**
 * Resolves validated options into what workers receive.
 *
 * @example
 * toProvidedOptions({ cassettes: { mode: 'replay' } }, process.cwd(), process.env).cassettes.mode // 'replay'
 */
export function toProvidedOptions(options: ParsedOptions, root: string, env: NodeJS.ProcessEnv): ProvidedOptions {
  const cassettes = options.cassettes === false ? undefined : options.cassettes
  const mode = options.cassettes === false ? 'passthrough' : resolveCassetteMode(env, cassettes?.mode)
  const provided: ProvidedOptions = {
    root,
    cassettes: {
      mode,
      hosts: cassettes?.hosts ?? [],
      redact: (cassettes?.redact ?? []).map((rule) => (typeof rule === 'string' ? { literal: rule } : { source: rule.source, flags: rule.flags })),
      maxInlineBytes: cassettes?.maxInlineBytes ?? DEFAULT_MAX_INLINE_BYTES,
      ...(cassettes?.dir ? { dir: cassettes.dir } : {}),
    },
    ...(options.judge ? { judge: options.judge } : {}),
    ...(options.labels ? { labels: { file: options.labels.file } } : {}),
    ...(options.history === false ? { history: false as const } : options.history?.file ? { history: { file: options.history.file } } : {}),
    ...(options.annotations === false ? { annotations: false as const } : {}),
  }
  if (cassettes?.normalizeRequest) {
    const source = functionSource(cassettes.normalizeRequest)
    checkSelfContained(compileFunction<NormalizeRequest>(source, 'normalizeRequest'))
    provided.cassettes.normalizeRequest = source
  }
  return provided
}

function checkSelfContained(normalize: NormalizeRequest): void {
  const sample = { method: 'POST', path: '/v1/chat/completions', query: {}, headers: {}, body: { model: 'm', messages: [] } }
  try {
    normalize(sample)
  } catch (error) {
    if (error instanceof ReferenceError) {
      throw new ConfigError(
        `\`cassettes.normalizeRequest\` uses something from outside its own body (${error.message}). ` +
          'It is sent to the test workers as source text, so it must be self-contained: move what it uses inside the function.',
      )
    }
  }
}
