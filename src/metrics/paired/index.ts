// Paired comparisons of two runs and intervals of one run: pure statistics, no Vitest.
export { pairedBootstrap, DEFAULT_RESAMPLES } from './paired-bootstrap.js'
export type { BootstrapOptions, PairedBootstrapResult } from './paired-bootstrap.js'
export { signTest, EXACT_SIGN_TEST_LIMIT } from './sign-test.js'
export type { SignTestResult } from './sign-test.js'
export { meanInterval } from './mean-interval.js'
export type { MeanInterval } from './mean-interval.js'
export { normalQuantile, studentTQuantile } from './distributions.js'
export { seededRandom, DEFAULT_SEED } from './random.js'
