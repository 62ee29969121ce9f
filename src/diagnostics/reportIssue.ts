import * as os from 'node:os';
import { VERSION as SDK_VERSION } from '@anthropic-ai/sdk/version';
import * as vscode from 'vscode';
import type { ReportInput, ReportSettings } from '../core/diagnostics/issueReport';
import { buildIssueReport, urlHost } from '../core/diagnostics/issueReport';
import { proxyInUse } from '../core/net/network';
import { errorMessage } from '../core/util/errors';
import { readBatchSettings } from '../batches/batchSettings';
import type { ApiKeyStore } from '../platform/apiKeyStore';
import type { Settings } from '../platform/settings';
import { reportIssueStrings as strings } from './strings';

export const REPORT_ISSUE_COMMAND = 'claudeStudio.reportIssue';
/** The file VS Code writes a log output channel to: `<logUri>/<channel name>.log`. */
const LOG_FILE = 'Claude Studio.log';

export interface ReportIssueDeps {
  readonly context: vscode.ExtensionContext;
  readonly settings: Settings;
  readonly keys: ApiKeyStore;
}

function reportSettings(settings: Settings): ReportSettings {
  const config = settings.current;
  const batch = readBatchSettings();
  return {
    model: config.model,
    baseUrlHost: urlHost(config.baseURL),
    ...(config.provider !== 'anthropic'
      ? { provider: { id: config.provider, region: config.provider === 'bedrock' ? config.bedrock.region : config.provider === 'vertex' ? config.vertex.region : config.foundry.resource } }
      : {}),
    authHeader: config.authHeader,
    proxy: proxyInUse(settings.network),
    customHeaderCount: Object.keys(config.customHeaders).length,
    allowInsecureHttp: config.allowInsecureHttp,
    maxTokens: config.maxTokens,
    cacheTtl: config.cache.ttl,
    thinking: { mode: config.thinking.mode, budgetTokens: config.thinking.budgetTokens, effort: config.thinking.effort },
    request: config.request,
    batch: { concurrency: batch.concurrency, maxTokens: batch.maxTokens, pollMinSeconds: batch.pollMinMs / 1000, pollMaxSeconds: batch.pollMaxMs / 1000, savedPromptCount: batch.savedPrompts.length },
  };
}

async function readLog(logUri: vscode.Uri): Promise<ReportInput['log']> {
  try {
    return { text: new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(logUri, LOG_FILE))) };
  } catch (error) {
    return { unavailable: errorMessage(error) };
  }
}

/** Gathers what the report is made of; the core decides what of it goes out. */
async function gather(deps: ReportIssueDeps): Promise<ReportInput> {
  const { context } = deps;
  const key = await deps.keys.get();
  return {
    extensionId: context.extension.id,
    extensionVersion: String((context.extension.packageJSON as { version?: unknown }).version ?? 'unknown'),
    vscodeVersion: vscode.version,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
    sdkVersion: SDK_VERSION,
    os: `${os.platform()} ${os.arch()} ${os.release()}`,
    settings: reportSettings(deps.settings),
    keySource: key === undefined ? undefined : key.source === 'secretStorage' ? 'keychain' : 'environment',
    workspaceTrusted: vscode.workspace.isTrusted,
    log: await readLog(context.logUri),
  };
}

async function openDocument(markdown: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
}

/**
 * Claude: Report Issue...: VS Code's issue reporter on the desktop, with the report as the issue
 * body and its system part as the extension's data. In a browser (code-server, vscode.dev) the
 * reporter can only open a GitHub URL, which would carry the log in the address, so the report
 * opens as a Markdown document to read and copy.
 */
export function registerReportIssue(deps: ReportIssueDeps): vscode.Disposable {
  return vscode.commands.registerCommand(REPORT_ISSUE_COMMAND, async () => {
    const report = await buildIssueReport(await gather(deps));
    if (vscode.env.uiKind === vscode.UIKind.Desktop) {
      try {
        await vscode.commands.executeCommand('workbench.action.openIssueReporter', {
          extensionId: deps.context.extension.id,
          issueTitle: '',
          issueBody: report.body,
          data: report.data,
        });
        return;
      } catch (error) {
        void vscode.window.showWarningMessage(strings.reporterFailed(errorMessage(error)));
      }
    }
    await openDocument(report.markdown);
    void vscode.window.showInformationMessage(strings.opened);
  });
}
