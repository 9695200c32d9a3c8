import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** A passage of a corpus document. */
export interface Chunk {
  /** `<document>#<n>`, e.g. `returns#2`. */
  id: string
  document: string
  text: string
}

/** A retrieval strategy under comparison. */
export interface RetrievalVariant {
  name: string
  /** Words per chunk (chunks overlap by a quarter of that). */
  chunkSize: number
  /** Add synonyms of the question's words before searching. */
  expandQuery?: boolean
}

const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url))
const STOPWORDS = new Set('a an and are as at be by can do does for from get i if in is it my of on or so the then to was we what when with you your'.split(' '))

/** The help-centre corpus bundled with the example: one markdown file per document. */
export const CORPUS: { document: string; text: string }[] = readdirSync(CORPUS_DIR)
  .filter((file) => file.endsWith('.md'))
  .sort()
  .map((file) => ({ document: file.replace(/\.md$/, ''), text: readFileSync(CORPUS_DIR + file, 'utf8') }))

/** Splits every document into chunks of `size` words with a quarter overlap. */
export function chunkCorpus(size: number): Chunk[] {
  const step = Math.max(1, Math.round(size * 0.75))
  return CORPUS.flatMap(({ document, text }) => {
    const words = text.replace(/^#.*$/m, '').split(/\s+/).filter(Boolean)
    const chunks: Chunk[] = []
    for (let start = 0; start < words.length; start += step) {
      chunks.push({ id: `${document}#${chunks.length + 1}`, document, text: words.slice(start, start + size).join(' ') })
      if (start + size >= words.length) break
    }
    return chunks
  })
}

const terms = (text: string) => (text.toLowerCase().match(/[a-z0-9]+/g) ?? []).filter((term) => !STOPWORDS.has(term)).map((term) => term.replace(/(ies|es|s)$/, ''))

// Query expansion: the words customers use, mapped to the words the help centre uses.
const SYNONYMS: Record<string, string[]> = {
  money: ['refund'],
  back: ['return'],
  fix: ['change', 'edit'],
  street: ['address'],
  stop: ['cancel', 'pause'],
  deliverie: ['subscription'],
  cracked: ['damaged', 'broken'],
  broken: ['damaged'],
  delivery: ['shipping'],
}

/** Ranks the chunks for a question with BM25 (k1 1.2, b 0.75). */
export function retrieve(question: string, variant: RetrievalVariant, k = 3): Chunk[] {
  const chunks = chunkCorpus(variant.chunkSize)
  const asked = terms(question)
  const query = variant.expandQuery ? [...asked, ...asked.flatMap((term) => SYNONYMS[term] ?? [])] : asked
  const docs = chunks.map((chunk) => terms(chunk.text))
  const averageLength = docs.reduce((sum, doc) => sum + doc.length, 0) / docs.length
  const idf = (term: string) => {
    const containing = docs.filter((doc) => doc.includes(term)).length
    return Math.log(1 + (docs.length - containing + 0.5) / (containing + 0.5))
  }
  const score = (doc: string[]) =>
    query.reduce((sum, term) => {
      const frequency = doc.filter((word) => word === term).length
      return sum + (idf(term) * frequency * 2.2) / (frequency + 1.2 * (0.25 + (0.75 * doc.length) / averageLength))
    }, 0)
  return chunks
    .map((chunk, index) => ({ chunk, score: score(docs[index] ?? []) }))
    .sort((a, b) => b.score - a.score || a.chunk.id.localeCompare(b.chunk.id))
    .slice(0, k)
    .map(({ chunk }) => chunk)
}
