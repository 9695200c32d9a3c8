// Made-up tokens of each well-known shape the worker scrubs (src/well-known-tokens.ts), and ordinary text of
// similar looks it must leave alone. Each is built from parts, so this file holds no literal token a push scanner flags.

const alnum = (length: number, seed = 1): string => {
  const characters = 'aB3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1eF3hJ5kL7nP9rS1uX3wY5'
  return Array.from({ length }, (_, index) => characters[(index * 7 + seed) % characters.length]).join('')
}
const upper = (length: number): string => Array.from({ length }, (_, index) => 'Z7Q2M4N6P8R0T1V3W5'[index % 18]).join('')
const letters = (length: number): string => alnum(length * 2).replace(/[0-9]/g, '').slice(0, length)
const hex = (length: number): string => Array.from({ length }, (_, index) => '0123456789abcdef'[(index * 5 + 3) % 16]).join('')
/** Base64 of a JSON object ending in "fQ==", as a 1Password service account token's body is (secretlint decodes it). */
function onePasswordBody(): string {
  let json = JSON.stringify({ email: 'ops@example.lcl', secretKey: alnum(40, 23), srpX: hex(64), signInAddress: 'example.b5local.com:4000' })
  while (json.length % 3 !== 1) json = json.replace('{', '{ ')
  return btoa(json)
}
const body = Array.from({ length: 3 }, (_, index) => alnum(64, index)).join('\n')

/** One made-up token per family, by family name. */
export const FAKE_TOKENS: Readonly<Record<string, string>> = {
  'GitHub personal token (ghp_)': 'gh' + 'p_' + 'abcdefghijklmnopqrstuvwxyz0123456789',
  'GitHub OAuth token (gho_)': 'gh' + 'o_' + alnum(36),
  'GitHub user-to-server token (ghu_)': 'gh' + 'u_' + alnum(36, 2),
  'GitHub server-to-server token (ghs_)': 'gh' + 's_' + alnum(36, 3),
  'GitHub refresh token (ghr_)': 'gh' + 'r_' + alnum(36, 4),
  'GitHub fine-grained token (github_pat_)': 'github' + '_pat_' + '11ABCDEFG0' + alnum(72),
  'GitHub app installation token (ghs_<id>_<JWT>)': 'gh' + 's_' + '1234567_' + 'eyJhbGciOiJSUzI1NiJ9.' + alnum(40) + '.' + alnum(43, 5),
  'Slack bot token (xoxb-)': 'xo' + 'xb-123456789012-1234567890123-abcdefghijABCDEFGHIJklmn',
  'Slack user token (xoxp-)': 'xo' + 'xp-2345678901-3456789012-4567890123-' + alnum(32),
  'AWS access key id (AKIA)': 'AK' + 'IA' + upper(16),
  'AWS temporary access key id (ASIA)': 'AS' + 'IA' + upper(16).split('').reverse().join(''),
  'Google API key (AIza)': 'AI' + 'za' + 'Sy' + alnum(33),
  'Stripe live secret key (sk_live_)': 'sk' + '_live_' + alnum(24),
  'Stripe restricted key (rk_live_)': 'rk' + '_live_' + alnum(30, 6),
  'npm access token (npm_)': 'np' + 'm_' + alnum(36, 7),
  'private key block': '-----BEGIN RSA ' + 'PRIVATE KEY-----\n' + body + '\n-----END RSA ' + 'PRIVATE KEY-----',
  'GitLab personal access token (glpat-)': 'gl' + 'pat-' + alnum(20, 8),
  'SendGrid API key (SG.)': 'S' + 'G.' + alnum(22, 9) + '.' + alnum(43, 10),
  'Shopify access token (shpat_)': 'sh' + 'pat_' + hex(32),
  'Shopify shared secret (shpss_)': 'sh' + 'pss_' + alnum(32, 11),
  'Shopify custom app token (shpca_)': 'sh' + 'pca_' + alnum(32, 12),
  'Shopify partner token (shppa_)': 'sh' + 'ppa_' + alnum(32, 13),
  'Hugging Face token (hf_)': 'h' + 'f_' + letters(34),
  'Groq API key (gsk_)': 'gs' + 'k_' + alnum(52, 14),
  'Linear API key (lin_api_)': 'lin' + '_api_' + alnum(40, 15),
  'Notion integration token (ntn_)': 'nt' + 'n_' + '12345678901' + alnum(35, 16),
  'Docker Hub token (dckr_pat_)': 'dckr' + '_pat_' + alnum(27, 17),
  'Figma token (figd_)': 'fi' + 'gd_' + alnum(40, 18),
  'Databricks token (dapi)': 'da' + 'pi' + hex(32),
  'Cloudflare token (cfut_)': 'cf' + 'ut_' + alnum(40, 19) + hex(8),
  'Vercel token (vcp_)': 'vc' + 'p_' + alnum(24, 20),
  'Grafana Cloud token (glc_)': 'gl' + 'c_' + alnum(40, 21),
  'Grafana service account token (glsa_)': 'gl' + 'sa_' + alnum(32, 22) + '_' + hex(8),
  '1Password service account token (ops_)': 'op' + 's_' + onePasswordBody(),
  'HashiCorp Vault token (hvs.)': 'hv' + 's.' + alnum(95, 24),
  'Tailscale key (tskey-)': 'tsk' + 'ey-auth-' + alnum(12, 25) + '-' + alnum(30, 26),
  'Slack incoming webhook URL': 'https://hooks.' + 'slack.com/services/T' + upper(8) + '/B' + upper(9) + '/' + alnum(24, 27),
}

/** Secrets known by what surrounds them, and how the text reads once hidden (the surroundings kept). */
export const FAKE_SECRET_TEXTS: Readonly<Record<string, { text: string; shown: string }>> = {
  'password in an https URL': { text: 'https://ada:' + 'Xk29pQ7zLm4w' + '@db.example.com/path', shown: 'https://[REDACTED]@db.example.com/path' },
  'password in a postgres URL': { text: 'postgres://app:' + 's3cr3tPa55w0rd' + '@db.internal:5432/app', shown: 'postgres://[REDACTED]@db.internal:5432/app' },
  'password in a MongoDB URL': { text: 'mongodb+srv://ops:' + 'Zq8wE2rT6yU1' + '@cluster0.mongodb.net/prod', shown: 'mongodb+srv://[REDACTED]@cluster0.mongodb.net/prod' },
  'npm token in an .npmrc line (_authToken=)': { text: '//registry.npmjs.org/:_auth' + 'Token=' + '3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b', shown: '//registry.npmjs.org/:_authToken=[REDACTED]' },
  'AWS secret access key by name': { text: 'aws_secret_' + 'access_key = ' + alnum(20, 28) + '/' + alnum(19, 29), shown: 'aws_secret_access_key = [REDACTED]' },
  'password in a Redis URL with no user': { text: 'redis://:' + 'Rk7wQ2zP9mX4' + '@cache.internal:6379/0', shown: 'redis://[REDACTED]@cache.internal:6379/0' },
  'password holding an unescaped @ in a URL': { text: 'postgres://app:' + 'p@ss' + 'W0rd-9x2' + '@db.internal:5432/app', shown: 'postgres://[REDACTED]@db.internal:5432/app' },
  'npm token in a quoted .npmrc value': { text: '//registry.npmjs.org/:_auth' + 'Token="' + 'npm-' + alnum(30, 30) + '"', shown: '//registry.npmjs.org/:_authToken="[REDACTED]"' },
  'npm token in an .npmrc line with spaces around =': { text: '//registry.npmjs.org/:_auth' + 'Token = ' + alnum(36, 31), shown: '//registry.npmjs.org/:_authToken = [REDACTED]' },
  'AWS secret access key by name in escaped JSON': { text: '{\\"SecretAccess' + 'Key\\":\\"' + alnum(20, 32) + '+' + alnum(19, 33) + '\\"}', shown: '{\\"SecretAccessKey\\":\\"[REDACTED]\\"}' },
}

/** Of {@link FAKE_SECRET_TEXTS}, the ones secretlint's preset does not report (the worker hides them anyway). */
export const UNSCANNED_SECRET_TEXTS: ReadonlySet<string> = new Set([
  'password in a Redis URL with no user',
  'password holding an unescaped @ in a URL',
  'AWS secret access key by name in escaped JSON',
])

/** Text like {@link FAKE_SECRET_TEXTS} or a prefix of {@link FAKE_TOKENS} that holds no secret: left as it is. */
export const ORDINARY_LOOKALIKES: readonly string[] = [
  'See https://example.com/docs?user=ada:1 or mail ada@example.com; ssh git@github.com:org/repo.git',
  'postgres://localhost:5432/app and https://user@example.com/ (no password)',
  '//registry.npmjs.org/:_authToken=${NPM_TOKEN}',
  '//registry.npmjs.org/:_authToken="${NPM_TOKEN}"',
  'ssh://git@github.com:22/org/repo.git, redis://cache:6379/0, http://localhost:3000/a@b and mailto:ada@example.com',
  'hf_hub_download, SG.Attributes.value, vcr_cassette_dir, glc_ and dapi are names; the secret access key is kept in a vault.',
]

/** Text that looks a little like a token but is none: left as it is. */
export const ORDINARY_TEXTS: readonly string[] = [
  'The quick brown fox jumps over the lazy dog. Aida read about the AIDA model and npm install.',
  'sha1 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12, sha256 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08',
  'request 3f2a9c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b and order A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
  'npm_config_registry=https://registry.npmjs.org npm_package_version=1.2.3',
  'xoxo-love-you, a gh_pages branch, ghp_short, sk_live_short, AKIAshort, the public key block -----BEGIN PUBLIC KEY-----',
  'ASIAN markets and AKIA are words here; AIzaShort is too short.',
]
