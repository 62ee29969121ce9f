/**
 * The translations are complete and consistent: every bundle has exactly the English keys with
 * the same `{0}` placeholders (the manifest's package.nls.*.json and the runtime l10n/ bundles),
 * every `%key%` in package.json is defined, and every `l10n.t('...')` message in src/ is in
 * l10n/bundle.l10n.json (so `npm run l10n:export` has been run) and nothing stale is left there.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const LANGUAGES = ['de', 'zh-cn'];

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;
}

/** `{0}`, `{1}`, `{name}`: the placeholders a message is formatted with, sorted. */
function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[0]).sort();
}

/** Every way `translated` fails to match `english`, as readable lines (empty when it matches). */
export function bundleProblems(name: string, english: Record<string, unknown>, translated: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(english)) {
    const value = translated[key];
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${name}: missing key ${JSON.stringify(key)}`);
      continue;
    }
    const want = placeholders(String(english[key])).join(' ');
    const got = placeholders(value).join(' ');
    if (want !== got) problems.push(`${name}: ${JSON.stringify(key)} has placeholders [${got}], English has [${want}]`);
  }
  for (const key of Object.keys(translated)) {
    if (!(key in english)) problems.push(`${name}: key ${JSON.stringify(key)} is not in the English bundle`);
  }
  return problems;
}

/** The message of every `l10n.t(...)` / `vscode.l10n.t(...)` call in the TypeScript files under `dir`. */
function l10nMessages(dir: string): { messages: Set<string>; problems: string[] } {
  const messages = new Set<string>();
  const problems: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) scan(full);
    }
  };
  const scan = (file: string): void => {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && /(^|\.)l10n\.t$/.test(node.expression.getText(source))) {
        const first = node.arguments[0];
        const where = `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
        if (first !== undefined && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) messages.add(first.text);
        else problems.push(`${where}: l10n.t needs a literal message (a template or variable cannot be extracted)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  };
  walk(dir);
  return { messages, problems };
}

/** The window APIs whose text the user reads: each message argument, and these option fields. */
const SHOWN_CALL = /(^|\.)window\.(show(Information|Warning|Error)Message|showQuickPick|showInputBox|showWorkspaceFolderPick|showOpenDialog|showSaveDialog|withProgress|createStatusBarItem|setStatusBarMessage)$/;
const SHOWN_OPTIONS = new Set(['title', 'placeHolder', 'prompt', 'detail', 'openLabel', 'saveLabel', 'tooltip']);

/** A literal written where a user-visible text goes: a string or template that is not an l10n.t call. */
function isRawText(node: ts.Node): boolean {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
}

/**
 * Every place under `dir` where a window API gets English written in the call itself (a message,
 * a button, or an option such as `title`), instead of a string from l10n.t or a strings module.
 */
export function rawShownTexts(dir: string): string[] {
  const problems: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) scan(full);
    }
  };
  const scan = (file: string): void => {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const report = (node: ts.Node, what: string): void => {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      problems.push(`${path.relative(ROOT, file)}:${line}: ${what} ${node.getText(source).slice(0, 60)}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && SHOWN_CALL.test(node.expression.getText(source))) {
        for (const argument of node.arguments) {
          if (isRawText(argument)) report(argument, 'raw text passed to a window API:');
          else if (ts.isObjectLiteralExpression(argument)) {
            for (const property of argument.properties) {
              if (ts.isPropertyAssignment(property) && SHOWN_OPTIONS.has(property.name.getText(source)) && isRawText(property.initializer)) {
                report(property.initializer, `raw ${property.name.getText(source)}:`);
              }
            }
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  };
  walk(dir);
  return problems;
}

describe('localization bundles', () => {
  const english = readJson('l10n/bundle.l10n.json');

  for (const language of LANGUAGES) {
    it(`l10n/bundle.l10n.${language}.json has every English key with the same placeholders, and no other`, () => {
      assert.deepEqual(bundleProblems(`bundle.l10n.${language}.json`, english, readJson(`l10n/bundle.l10n.${language}.json`)), []);
    });
    it(`package.nls.${language}.json has every English key with the same placeholders, and no other`, () => {
      assert.deepEqual(bundleProblems(`package.nls.${language}.json`, readJson('package.nls.json'), readJson(`package.nls.${language}.json`)), []);
    });
  }

  it('the English bundle maps each message to itself', () => {
    for (const [key, value] of Object.entries(english)) assert.equal(value, key);
  });

  it('every l10n.t message in src/ is in l10n/bundle.l10n.json, and every bundle key is used', () => {
    const { messages, problems } = l10nMessages(path.join(ROOT, 'src'));
    for (const message of messages) if (!(message in english)) problems.push(`not in bundle.l10n.json (run npm run l10n:export): ${JSON.stringify(message)}`);
    for (const key of Object.keys(english)) if (!messages.has(key)) problems.push(`bundle.l10n.json has a key no l10n.t uses: ${JSON.stringify(key)}`);
    assert.deepEqual(problems, []);
  });

  it('every %key% in package.json is in package.nls.json, and every key there is used', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const nls = readJson('package.nls.json');
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? ''));
    const problems = [...used].filter((key) => !(key in nls)).map((key) => `package.json uses %${key}%, not in package.nls.json`);
    for (const key of Object.keys(nls)) if (!used.has(key)) problems.push(`package.nls.json has ${key}, which package.json does not use`);
    assert.deepEqual(problems, []);
  });

  it('no window API in src/ gets English written into the call (messages, buttons, titles, prompts go through l10n)', () => {
    assert.deepEqual(rawShownTexts(path.join(ROOT, 'src')), []);
  });

  it('reports a missing key, an extra key and a changed placeholder', () => {
    const problems = bundleProblems('x', { 'A {0}': 'A {0}', B: 'B' }, { 'A {0}': 'Ein {1}', C: 'C' });
    assert.deepEqual(problems, [
      'x: "A {0}" has placeholders [{1}], English has [{0}]',
      'x: missing key "B"',
      'x: key "C" is not in the English bundle',
    ]);
  });
});
