import { resolveCassetteMode } from '../cassettes/mode.js'
import { ConfigError } from '../errors/index.js'

/**
 * Turns texts into vectors, one per text, in order. Pass your own to `toBeSimilarTo(..., { embedder })`
 * to use another provider or a fake in tests.
 *
 * @example
 * const embedder: Embedder = { embed: async (texts) => texts.map((text) => [text.length, 1]) }
 */
export interface Embedder {
  embed(texts: string[]): Promise<number[][]>
}

/** The part of the `openai` client the embedder uses, so a custom client (or a stub) can be passed. */
export interface OpenAIEmbeddingsClient {
  embeddings: {
    create(params: { model: string; input: string[] }): Promise<{ data: Array<{ embedding: number[]; index: number }> }>
  }
}

/** Options of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderOptions {
  /** Default `text-embedding-3-small`. */
  model?: string
  /** A ready client; by default one is created from `openai` on first use (reads `OPENAI_API_KEY` / `OPENAI_BASE_URL`). */
  client?: OpenAIEmbeddingsClient
}

/** The model the default embedder uses. */
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small'

/** True when `openai` is not installed (the error, or one it wraps, is a module-not-found for it). */
function isMissingPackage(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find (package|module) ['"]?openai/.test(current.message)) return true
  }
  return false
}

async function importOpenAIClient(): Promise<OpenAIEmbeddingsClient> {
  let openai: typeof import('openai')
  try {
    openai = await import('openai')
  } catch (error) {
    if (!isMissingPackage(error)) throw error
    throw new ConfigError(
      'The `embedding` similarity method needs the `openai` package, which is not installed. ' +
        'Run `npm install --save-dev openai`, or pass your own `embedder` option.',
      { cause: error },
    )
  }
  // In replay mode the recorded responses answer, so no key is needed (DESIGN.md "Cassettes").
  const replaying = resolveCassetteMode(process.env) === 'replay'
  const apiKey = process.env['OPENAI_API_KEY'] ?? (replaying ? 'replay-without-key' : undefined)
  return new openai.default(apiKey === undefined ? {} : { apiKey })
}

/**
 * An {@link Embedder} over OpenAI's embeddings API. `openai` is imported lazily on the first call, so
 * projects that never use embeddings need not install it.
 *
 * @example
 * const embedder = createOpenAIEmbedder({ model: 'text-embedding-3-large' })
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions = {}): Embedder {
  const model = options.model ?? DEFAULT_EMBEDDING_MODEL
  let client: Promise<OpenAIEmbeddingsClient> | undefined = options.client && Promise.resolve(options.client)
  return {
    async embed(texts) {
      client ??= importOpenAIClient()
      const response = await (await client).embeddings.create({ model, input: texts })
      return [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding)
    },
  }
}

let defaultEmbedder: Embedder | undefined

/** The embedder used when a matcher gets no `embedder` option: OpenAI `text-embedding-3-small`. */
export function getDefaultEmbedder(): Embedder {
  defaultEmbedder ??= createOpenAIEmbedder()
  return defaultEmbedder
}
