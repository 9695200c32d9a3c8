// A large text file written from its pieces (summary.json, case by case), atomically and refused as
// writeFileAtomic refuses a live credential's value, without joining the pieces into one string: at the end of a
// 5,000-case run the whole text and its bytes were ~5 MiB of the main process's peak memory (issue 17).
import { writeFileAtomicStreamed } from './atomic-files.js'
import { guardWrite, liveSecrets, writtenForms } from './cassettes/redact.js'

/**
 * Writes the text `pieces()` yields to `file`, as {@link writeFileAtomic} writes their concatenation: through a
 * temporary file and a rename, and refused (a `SecretLeakError` naming the line, the file left as it was) when the
 * text holds the value of a live credential variable, also across two pieces. `pieces` may be called twice: again,
 * to name the line, when a value is found.
 *
 * @example
 * writeTextPiecesAtomic('.evals/summary.json', function* () { yield '[\n'; for (const item of items) yield JSON.stringify(item) }, { durable: false })
 */
export function writeTextPiecesAtomic(file: string, pieces: () => Iterable<string>, options: { durable?: boolean } = {}, secrets = liveSecrets()): void {
  const forms = secrets.flatMap(({ value }) => writtenForms(value)).filter((form) => form !== '')
  // A value across pieces ends in a piece and starts at most its length - 1 characters before it.
  const overlap = Math.max(0, ...forms.map((form) => form.length - 1))
  writeFileAtomicStreamed(file, (write) => {
    let tail = ''
    for (const piece of pieces()) {
      if (forms.length > 0) {
        const seen = tail + piece
        // Found: the whole text, once, for writeFileAtomic's own message (which line holds it).
        if (forms.some((form) => seen.includes(form))) guardWrite(file, [...pieces()].join(''), secrets)
        tail = overlap === 0 ? '' : seen.slice(-overlap)
      }
      write(Buffer.from(piece))
    }
  }, options)
}
