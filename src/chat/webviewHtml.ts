import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chatCsp } from '../shared/csp';

/** VS Code's language id (`en`, `de`, `zh-cn`) as an HTML `lang` tag, so screen readers and fonts follow it. */
function htmlLang(language: string): string {
  return /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(language) ? language : 'en';
}

/**
 * The chat page: a strict CSP with a per-load nonce, no inline script or style, no network
 * (`connect-src 'none'`), images and fonts only from the extension's own folder.
 */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', name)).toString();
  const csp = chatCsp(webview.cspSource, nonce);
  return `<!DOCTYPE html>
<html lang="${htmlLang(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('webview.css')}">
<title>Claude Studio</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${asset('webview.js')}"></script>
</body>
</html>`;
}
