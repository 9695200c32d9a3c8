import { createRequire } from 'node:module'
import type { InstructionChecker, InstructionResult } from './result.js'
import { verdict } from './result.js'
import type { InstructionOf } from './schemas.js'

/*
 * IFEval detects languages with `langdetect`, which knows 55 languages. We use franc (trigram
 * profiles, deterministic) restricted to those same 55 languages, so franc cannot answer with a
 * language the reference could never have produced (e.g. Bhojpuri for Hindi text).
 */
const ISO_639_3: Record<string, string> = {
  af: 'afr', ar: 'arb', bg: 'bul', bn: 'ben', ca: 'cat', cs: 'ces', cy: 'cym', da: 'dan', de: 'deu',
  el: 'ell', en: 'eng', es: 'spa', et: 'ekk', fa: 'pes', fi: 'fin', fr: 'fra', gu: 'guj', he: 'heb',
  hi: 'hin', hr: 'hrv', hu: 'hun', id: 'ind', it: 'ita', ja: 'jpn', kn: 'kan', ko: 'kor', lt: 'lit',
  lv: 'lvs', mk: 'mkd', ml: 'mal', mr: 'mar', ne: 'npi', nl: 'nld', no: 'nob', pa: 'pan', pl: 'pol',
  pt: 'por', ro: 'ron', ru: 'rus', sk: 'slk', sl: 'slv', so: 'som', sq: 'als', sv: 'swe', sw: 'swh',
  ta: 'tam', te: 'tel', th: 'tha', tl: 'tgl', tr: 'tur', uk: 'ukr', ur: 'urd', vi: 'vie', zh: 'cmn',
}
const ISO_639_1 = new Map(Object.entries(ISO_639_3).map(([two, three]) => [three, two]))
const CANDIDATES = Object.values(ISO_639_3)

type Franc = typeof import('franc').franc
let franc: Franc | undefined
/**
 * franc and its trigram profiles (~25 ms to load) are loaded on the first language check, not with the
 * library. The check is synchronous, so this `require`s the ES module (Node >= 22.12 supports that).
 */
function loadFranc(): Franc {
  franc ??= (createRequire(import.meta.url)('franc') as typeof import('franc')).franc
  return franc
}

/** What language detection found: an ISO 639-1 code, too little text to tell, or no letters at all. */
export type DetectedLanguage = { kind: 'language'; code: string } | { kind: 'too-short' } | { kind: 'no-letters' }

/**
 * Detects the language of a text as an ISO 639-1 code (e.g. "fr").
 *
 * @example
 * detectLanguage('Le chat est assis sur le tapis et regarde la pluie tomber.') // { kind: 'language', code: 'fr' }
 */
export function detectLanguage(text: string): DetectedLanguage {
  if (!/\p{L}/u.test(text)) return { kind: 'no-letters' }
  const code = ISO_639_1.get(loadFranc()(text, { only: CANDIDATES }))
  return code === undefined ? { kind: 'too-short' } : { kind: 'language', code }
}

/**
 * Checks that a text is detected as `language`. As in IFEval, a text with no letters at all (where
 * detection is impossible) counts as followed; a text too short to tell does not.
 *
 * @example
 * checkLanguage('Guten Morgen, wie geht es dir heute?', 'de').pass // true
 */
export function checkLanguage(text: string, language: string): InstructionResult {
  const detected = detectLanguage(text)
  if (detected.kind === 'no-letters') return verdict(true, `no letters to detect a language in, counted as "${language}"`)
  if (detected.kind === 'too-short') return verdict(false, `text too short to detect its language, needs "${language}"`)
  return verdict(detected.code === language, `detected language "${detected.code}", needs "${language}"`)
}

/**
 * `language:response_language`: the whole response is in the given language.
 *
 * @example
 * checkResponseLanguage('Bonjour tout le monde, comment allez-vous ?', { id: 'language:response_language', language: 'fr' })
 */
export const checkResponseLanguage: InstructionChecker<InstructionOf<'language:response_language'>> = (response, params) =>
  checkLanguage(response, params.language)
