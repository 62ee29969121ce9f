import { REDACTED, redactSecrets } from '../anthropic/redact';
import { redactLines, scanSecrets } from '../egress/contentScan';
import { reportStrings as s } from './strings';

/** How many of the newest log lines a report carries. */
export const REPORT_LOG_LINES = 200;
/** A log line is cut here: a long line is where pasted text or a server's error page would be. */
const MAX_LINE_LENGTH = 400;
/** `2026-12-04 18:40:00.123 [info] …`: how VS Code writes each entry of a log output channel. */
const ENTRY_START = /^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:\.\d+)? \[[a-z]+\]/;

/** The settings a report shows, already reduced to what is safe to share. */
export interface ReportSettings {
  readonly model: string;
  /** The host of `claudeStudio.baseURL`, or undefined for the Anthropic API. */
  readonly baseUrlHost: string | undefined;
  /** `claudeStudio.provider`, when not the Anthropic API, with its region or resource (never a credential). */
  readonly provider?: { readonly id: 'bedrock' | 'vertex' | 'foundry'; readonly region: string };
  /** `claudeStudio.authHeader`. */
  readonly authHeader?: string;
  /** Whether requests go through a proxy (http.proxy or the environment's); never its address. */
  readonly proxy?: boolean;
  /** How many custom headers are set (their names and values can be credentials). */
  readonly customHeaderCount: number;
  readonly allowInsecureHttp: boolean;
  readonly maxTokens: number;
  readonly cacheTtl: string;
  readonly thinking: { readonly mode: string; readonly budgetTokens: number; readonly effort: string | null };
  readonly request: { readonly timeoutSeconds: number; readonly maxRetries: number; readonly stallTimeoutSeconds: number };
  readonly batch: { readonly concurrency: number; readonly maxTokens: number; readonly pollMinSeconds: number; readonly pollMaxSeconds: number; readonly savedPromptCount: number };
}

/** Everything a report is made from; the host gathers it, this module decides what goes out. */
export interface ReportInput {
  readonly extensionId: string;
  readonly extensionVersion: string;
  readonly vscodeVersion: string;
  /** `desktop` or `web` (code-server, vscode.dev). */
  readonly uiKind: string;
  readonly sdkVersion: string;
  /** e.g. `linux x64 6.1.0`. */
  readonly os: string;
  readonly settings: ReportSettings;
  /** Where the key in use comes from, or undefined when none is set. Never the key. */
  readonly keySource: 'keychain' | 'environment' | undefined;
  readonly workspaceTrusted: boolean;
  /** The extension's log file as read, or undefined when it could not be read (with why). */
  readonly log: { readonly text: string } | { readonly unavailable: string };
}

export interface IssueReport {
  readonly title: string;
  /** The whole report as Markdown, for the document. */
  readonly markdown: string;
  /** For VS Code's issue reporter: what happened and the log (its issue body)... */
  readonly body: string;
  /** ...and the system part (its "extension data"), so nothing shows twice. */
  readonly data: string;
}

/** The host of a base URL, without credentials, path or query; `(not a valid URL)` when it is none. */
export function urlHost(baseURL: string): string | undefined {
  const trimmed = baseURL.trim();
  if (trimmed === '') return undefined;
  try {
    return new URL(trimmed).host || s.invalidUrl;
  } catch {
    return s.invalidUrl;
  }
}

/**
 * The newest log lines that are safe to share. Only the first line of each entry is kept: the
 * continuation lines of a multi-line entry are where a file's content, a prompt or a stack would
 * be, so they are counted, not copied. Each kept line goes through the one secret redaction
 * every stored or shown text goes through, and is cut at a length.
 */
export function cleanLogTail(text: string, maxLines = REPORT_LOG_LINES): { lines: string[]; dropped: number } {
  const all = text.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  const tail = all.slice(-maxLines);
  const lines: string[] = [];
  let dropped = 0;
  for (const line of tail) {
    if (!ENTRY_START.test(line)) {
      dropped++;
      continue;
    }
    const clean = redactSecrets(line);
    lines.push(clean.length > MAX_LINE_LENGTH ? `${clean.slice(0, MAX_LINE_LENGTH)}${s.cut}` : clean);
  }
  return { lines, dropped };
}

function settingsTable(settings: ReportSettings): string[] {
  const rows: [string, string][] = [
    ['model', settings.model],
    [
      'provider',
      settings.provider !== undefined
        ? s.cloud(settings.provider.id, settings.provider.region)
        : settings.baseUrlHost === undefined ? s.anthropicApi : s.gateway(settings.baseUrlHost),
    ],
    ...(settings.authHeader !== undefined ? [['authHeader', settings.authHeader] as [string, string]] : []),
    ...(settings.proxy !== undefined ? [['proxy', settings.proxy ? s.proxyOn : s.proxyOff] as [string, string]] : []),
    ['customHeaders', s.headerCount(settings.customHeaderCount)],
    ['allowInsecureHttp', String(settings.allowInsecureHttp)],
    ['maxTokens', String(settings.maxTokens)],
    ['cache.ttl', settings.cacheTtl],
    ['thinking', `${settings.thinking.mode}, budget ${settings.thinking.budgetTokens}, effort ${settings.thinking.effort ?? 'default'}`],
    ['request', `timeout ${settings.request.timeoutSeconds}s, retries ${settings.request.maxRetries}, stall ${settings.request.stallTimeoutSeconds}s`],
    ['batch', `concurrency ${settings.batch.concurrency}, maxTokens ${settings.batch.maxTokens}, poll ${settings.batch.pollMinSeconds}-${settings.batch.pollMaxSeconds}s, ${s.savedPrompts(settings.batch.savedPromptCount)}`],
  ];
  // The values pass the redaction too: a model id or host is the user's text.
  return [`| ${s.setting} | ${s.value} |`, '| --- | --- |', ...rows.map(([name, value]) => `| \`${name}\` | ${redactSecrets(value).replace(/\|/g, '\\|')} |`)];
}

/** The system part of a report: versions, environment, settings, whether a key is set. */
function systemSection(input: ReportInput): string[] {
  return [
    `| ${s.what} | ${s.value} |`,
    '| --- | --- |',
    `| ${s.extension} | ${input.extensionId} ${input.extensionVersion} |`,
    `| VS Code | ${input.vscodeVersion} (${input.uiKind}) |`,
    `| @anthropic-ai/sdk | ${input.sdkVersion} |`,
    `| ${s.os} | ${input.os} |`,
    `| ${s.apiKey} | ${input.keySource === undefined ? s.noKey : s.keySet(input.keySource)} |`,
    `| ${s.trust} | ${input.workspaceTrusted ? s.trusted : s.restricted} |`,
    '',
    ...settingsTable(input.settings),
  ];
}

async function logSection(log: ReportInput['log']): Promise<string[]> {
  if ('unavailable' in log) return [s.logUnavailable(redactSecrets(log.unavailable))];
  const { lines, dropped } = cleanLogTail(log.text);
  if (lines.length === 0 && dropped === 0) return [s.logEmpty];
  // Then the egress gate's content scan, for the formats of other services' keys (AWS, GitHub, …).
  const joined = lines.join('\n');
  const scanned = redactLines(joined, await scanSecrets(joined, 'claude-studio.log'));
  return [s.logIntro(REPORT_LOG_LINES, REDACTED), ...(dropped > 0 ? [s.logDropped(dropped)] : []), '', '```text', scanned.replace(/```/g, "'''"), '```'];
}

/** The report a user files: what happened (for them to write), then what helps to reproduce it. */
export async function buildIssueReport(input: ReportInput): Promise<IssueReport> {
  const system = systemSection(input);
  const log = await logSection(input.log);
  const happened = [`## ${s.whatHappened}`, '', s.whatHappenedHint, ''];
  const logPart = [`## ${s.log}`, '', ...log, ''];
  const markdown = [`# ${s.title}`, '', s.intro, '', ...happened, `## ${s.system}`, '', ...system, '', ...logPart].join('\n');
  return { title: s.title, markdown, body: [s.intro, '', ...happened, ...logPart].join('\n'), data: system.join('\n') };
}
