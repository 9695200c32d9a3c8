/* Word lists for the Punkt-style sentence counter in `sentences.ts`. */

/**
 * Abbreviations (lowercase, without their final period) that do not end a sentence before a name,
 * standing in for the abbreviation list of Punkt's trained English model.
 *
 * @example
 * ABBREVIATIONS.has('e.g') // true
 */
export const ABBREVIATIONS = new Set(
  ('mr mrs ms dr prof st jr sr messrs inc ltd co corp bros vs etc e.g i.e a.m p.m u.s u.k u.n d.c ' +
    'jan feb aug sept oct nov dec gen gov sen rep lt col capt sgt mt ave blvd dept approx viz cf al ph.d')
    .split(' '),
)
/**
 * Frequent English words. Capitalised after an abbreviation, an initial or an ellipsis they start a
 * new sentence; Punkt learns this from corpus counts (words seen in lowercase), we list them.
 *
 * @example
 * COMMON_WORDS.has('the') // true
 */
export const COMMON_WORDS = new Set(
  ('the a an this that these those it its he she they we i you there here but and or so yet if when ' +
    'while after before as in on at for with from to by of my our your their his her however also then ' +
    'now some many most all each what which who how why where one first second next finally let please ' +
    'thank thanks yes no not just only still even both either neither every any other such more less ' +
    'is are was were be been have has had do does did can could will would should may might must shall ' +
    'us me him them overall moreover furthermore additionally therefore thus instead meanwhile ' +
    'today remember make take try use keep consider note see look find start begin get give go come ' +
    'stay enjoy imagine think know dear hello hi hey well oh great good best sure')
    .split(' '),
)
