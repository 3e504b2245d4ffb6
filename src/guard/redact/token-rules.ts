/**
 * Provider token formats: a fixed prefix (or a fixed shape) that makes a value a credential by
 * itself, without the words around it. Each body is bounded so a scan stays linear on hostile
 * input. Patterns are written from the providers' published token formats.
 */
export interface TokenRule {
  rule: string;
  pattern: string;
}

const HEX = '[0-9a-f]';
const B62 = '[A-Za-z0-9]';
const URLSAFE = '[A-Za-z0-9_-]';

export const TOKEN_RULES: readonly TokenRule[] = [
  { rule: 'anthropic-api-key', pattern: `sk-ant-(?:api|admin|oat|sid)\\d{2}-${URLSAFE}{8,200}` },
  { rule: 'openai-api-key', pattern: `sk-(?:proj-|svcacct-|admin-|None-)?${URLSAFE}{20,200}` },
  {
    rule: 'aws-access-key',
    pattern: '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|A3T[A-Z0-9])[A-Z0-9]{16}',
  },
  { rule: 'github-token', pattern: `gh[pousr]_${B62}{36,251}` },
  { rule: 'github-fine-grained-token', pattern: 'github_pat_[A-Za-z0-9_]{60,240}' },
  {
    rule: 'gitlab-token',
    pattern: `gl(?:pat|dt|ptt|rt|soat|ft|imt|agent|oas|cbt)-${URLSAFE}{20,64}`,
  },
  { rule: 'gitlab-runner-token', pattern: `GR1348941${URLSAFE}{20,40}` },
  { rule: 'slack-token', pattern: 'xox[abposre]-(?:\\d{6,14}-){2,3}[A-Za-z0-9]{20,64}' },
  {
    rule: 'slack-webhook',
    pattern: 'https://hooks\\.slack\\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]{20,200}',
  },
  {
    rule: 'teams-webhook',
    pattern: `https://[a-z0-9-]{1,60}\\.(?:webhook\\.)?office(?:365)?\\.com/webhookb?2?/[A-Za-z0-9@/_-]{40,200}/IncomingWebhook/[A-Za-z0-9/_-]{20,200}`,
  },
  { rule: 'slack-app-token', pattern: 'xapp-[A-Za-z0-9/+-]{20,250}' },
  { rule: 'stripe-secret-key', pattern: `(?:sk|rk)_(?:live|test)_${B62}{16,247}` },
  // Rampart's own API keys (`api-key-format.ts`): a 16-hex-digit id and 32 random bytes.
  { rule: 'rampart-api-key', pattern: `rk_${HEX}{16}_${URLSAFE}{43}` },
  { rule: 'stripe-webhook-secret', pattern: `whsec_${B62}{24,64}` },
  { rule: 'google-api-key', pattern: `AIza${URLSAFE}{35}` },
  { rule: 'google-oauth-secret', pattern: `GOCSPX-${URLSAFE}{24,32}` },
  { rule: 'google-client-id', pattern: `\\d{6,14}-[a-z0-9]{32}\\.apps\\.googleusercontent\\.com` },
  { rule: 'sendgrid-api-key', pattern: `SG\\.${URLSAFE}{16,32}\\.${URLSAFE}{16,64}` },
  { rule: 'twilio-key', pattern: `(?:SK|AC)${HEX}{32}` },
  { rule: 'npm-token', pattern: `npm_${B62}{36}` },
  { rule: 'pypi-token', pattern: `pypi-AgEIcHlwaS5vcmc${URLSAFE}{40,400}` },
  { rule: 'huggingface-token', pattern: `(?:hf_|api_org_)${B62}{30,40}` },
  { rule: 'shopify-token', pattern: 'shp(?:at|ca|pa|ss)_[0-9a-fA-F]{32}' },
  { rule: 'mailchimp-api-key', pattern: `${HEX}{32}-us\\d{1,2}` },
  { rule: 'mailgun-api-key', pattern: `key-${HEX}{32}` },
  { rule: 'digitalocean-token', pattern: `do[opr]_v1_${HEX}{64}` },
  { rule: 'databricks-token', pattern: `dapi${HEX}{32}(?:-\\d)?` },
  { rule: 'docker-hub-token', pattern: `dckr_pat_${URLSAFE}{24,40}` },
  { rule: 'doppler-token', pattern: `dp\\.(?:ct|pt|st|sa|scim|audit)\\.${B62}{40,44}` },
  { rule: 'dropbox-token', pattern: `sl\\.${URLSAFE}{90,200}` },
  { rule: 'age-secret-key', pattern: 'AGE-SECRET-KEY-1[0-9A-Z]{58}' },
  { rule: 'age-recipient', pattern: 'age1[0-9a-z]{58}' },
  { rule: 'artifactory-api-key', pattern: `AKCp${B62}{65,75}` },
  { rule: 'azure-devops-token', pattern: `${B62}{76}AZDO${B62}{4}` },
  { rule: 'grafana-token', pattern: `(?:glc_|eyJrIjoi)[A-Za-z0-9+/]{32,400}={0,2}` },
  { rule: 'grafana-service-account-token', pattern: `glsa_${B62}{32}_${HEX}{8}` },
  { rule: 'groq-api-key', pattern: `gsk_${B62}{48,56}` },
  { rule: 'jina-api-key', pattern: `jina_${B62}{56,64}` },
  { rule: 'tavily-api-key', pattern: `tvly-(?:dev-|prod-)?${B62}{32}` },
  { rule: 'firecrawl-api-key', pattern: `fc-${HEX}{32}` },
  { rule: 'new-relic-key', pattern: `NR(?:AK|II|IQ|RA|JS|AA)-${URLSAFE}{27,42}` },
  {
    rule: 'pixie-key',
    pattern: `px-(?:api|dep)-${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`,
  },
  { rule: 'postman-api-key', pattern: `PMAK-${HEX}{24}-${HEX}{34}` },
  { rule: 'sourcegraph-token', pattern: `sgp_(?:${HEX}{16}_|local_)?${HEX}{40}` },
  { rule: 'square-token', pattern: `(?:sandbox-)?sq0(?:atp|atb|csp|idp)-${URLSAFE}{22,43}` },
  { rule: 'twitch-stream-key', pattern: `live_\\d{6,10}_${B62}{30}` },
  { rule: 'telegram-bot-token', pattern: `\\d{8,10}:AA${URLSAFE}{32,33}` },
  { rule: 'vault-token', pattern: `(?:hv[sbr]\\.${URLSAFE}{24,400}|s\\.CAES${URLSAFE}{80,400})` },
  { rule: 'truenas-api-key', pattern: `\\d{1,4}-${B62}{64}` },
  { rule: 'facebook-access-token', pattern: `EAA[A-Za-z0-9]{90,400}` },
  { rule: 'mapbox-secret-token', pattern: `sk\\.eyJ${URLSAFE}{20,200}\\.${URLSAFE}{16,64}` },
  { rule: 'adafruit-io-key', pattern: `aio_${B62}{28}` },
  { rule: 'salesforce-token', pattern: `00[A-Za-z0-9]{13}![A-Za-z0-9._]{80,255}` },
  { rule: 'dynatrace-token', pattern: `dt0[a-zA-Z]\\d{2}\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}` },
  {
    rule: 'amazon-mws-token',
    pattern: `amzn\\.mws\\.${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`,
  },
  { rule: 'aws-appsync-key', pattern: 'da2-[a-z0-9]{26}' },
  { rule: 'nuget-api-key', pattern: 'oy2[a-z0-9]{43}' },
  { rule: 'atlassian-app-password', pattern: `ATBB${B62}{28,40}` },
  { rule: 'figma-token', pattern: `\\d{3,6}-${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}` },
  {
    rule: 'password-hash',
    pattern:
      '\\$(?:1|5|6|8|2[aby])\\$(?:rounds=\\d{1,7}\\$)?[A-Za-z0-9./]{2,22}\\$[A-Za-z0-9./]{20,100}',
  },
  {
    rule: 'kerberos-hash',
    pattern: '\\$krb5(?:asrep|tgs)\\$\\d{1,2}\\$[A-Za-z0-9@.:_$-]{32,4000}',
  },
  // Storage and shop host names: not credentials, but they name private infrastructure, and
  // secret scanners report them alongside keys.
  {
    rule: 's3-bucket',
    pattern:
      '(?:[a-z0-9][a-z0-9.-]{2,62}\\.s3[.-](?:[a-z0-9-]{2,30}\\.)?amazonaws\\.com|s3[.-](?:[a-z0-9-]{2,30}\\.)?amazonaws\\.com/[a-z0-9][a-z0-9.-]{2,62})',
  },
  {
    rule: 'gcs-bucket',
    pattern:
      '(?:[a-z0-9][a-z0-9._-]{0,221}\\.storage\\.googleapis\\.com|storage\\.googleapis\\.com/[a-z0-9][a-z0-9._-]{2,62})',
  },
  // A shop is one name before `.myshopify.com`; three labels at most, so that a long dotted run
  // (`1.1.1.…`) is not walked again from every dot (an unbounded `+` made that quadratic).
  { rule: 'shopify-domain', pattern: '(?:[a-z0-9-]{1,60}\\.){1,3}myshopify\\.com' },
];

/** All token rules as one alternation; the index of the matching group names the rule. */
export function tokenPattern(): RegExp {
  const body = TOKEN_RULES.map((rule) => `(${rule.pattern})`).join('|');
  return new RegExp(`(?<![A-Za-z0-9_$])(?:${body})(?![A-Za-z0-9_-])`, 'g');
}
