import * as l10n from '@vscode/l10n';

/**
 * The text of an issue report (Markdown), in one place. What the user reads and writes (the note
 * on what was removed, the "What happened" section) is in the display language; the title and the
 * system and log data stay English, since they are for the maintainers who read the issue.
 */
export const reportStrings = {
  title: 'Claude Studio issue report',
  get intro(): string {
    return l10n.t("Check this report before you share it: API keys, tokens and the log's multi-line text (where file contents would be) were removed, but paths and model names stay.");
  },
  get whatHappened(): string { return l10n.t('What happened'); },
  get whatHappenedHint(): string { return l10n.t('<!-- What you did, what you expected, what happened instead. -->'); },
  system: 'System',
  log: 'Log',
  what: 'Component',
  setting: 'Setting',
  value: 'Value',
  extension: 'Extension',
  os: 'OS',
  apiKey: 'API key',
  noKey: 'not set',
  keySet: (source: 'keychain' | 'environment') => (source === 'keychain' ? 'set (keychain)' : 'set (ANTHROPIC_API_KEY)'),
  trust: 'Workspace',
  trusted: 'trusted',
  restricted: 'Restricted Mode',
  anthropicApi: 'Anthropic API',
  gateway: (host: string) => `baseURL host ${host}`,
  cloud: (id: 'bedrock' | 'vertex' | 'foundry', where: string) =>
    id === 'bedrock'
      ? `Amazon Bedrock (${where || 'region from AWS_REGION'})`
      : id === 'vertex'
        ? `Google Vertex AI (${where || 'region from CLOUD_ML_REGION'})`
        : `Microsoft Foundry (${where || 'no resource set'})`,
  proxyOn: 'through a proxy',
  proxyOff: 'direct',
  invalidUrl: '(not a valid URL)',
  headerCount: (count: number) => (count === 0 ? 'none' : `${count} set (names and values left out)`),
  savedPrompts: (count: number) => `${count} saved prompt${count === 1 ? '' : 's'}`,
  cut: ' …(cut)',
  logIntro: (max: number, marker: string) => `The newest ${max} lines of the Claude Studio log at most; secrets show as \`${marker}\`.`,
  logDropped: (count: number) => `${count} continuation line${count === 1 ? '' : 's'} of multi-line entries left out.`,
  logEmpty: 'The log is empty.',
  logUnavailable: (why: string) => `The log could not be read: ${why}`,
} as const;
