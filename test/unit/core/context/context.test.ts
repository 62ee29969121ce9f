import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { appendAssistantTurn, appendUserTurn, createConversation, forkUserTurn } from '../../../../src/core/chat/conversation';
import { buildRequest } from '../../../../src/core/chat/requestBuilder';
import { nextRequestSize } from '../../../../src/core/chat/nextRequestSize';
import { readTurn } from '../../../../src/core/history/historyRecords';
import {
  ContextSet, DEFAULT_CONTEXT_LIMITS, ExclusionRules, checkSize, contextMessages, createContextItem, describeExclusion, enabledGlobs,
  formatContextItem, fuzzySearch, hasBinaryExtension, itemLabel, languageIdFor, limitsFrom, looksBinary, planPick, readContextFile,
  summarizeExcluded, ViewGate, chipViews, expandPick, planPickInSlices,
} from '../../../../src/core/context';
import type { EntryKind, PickFs } from '../../../../src/core/context';
import { Emitter } from '../../../../src/core/util/emitter';
import { actionPrompt, explainPrompt } from '../../../../src/core/context/selectionPrompt';
import { EgressGate } from '../../../../src/core/egress';

const file = (path: string, content: string, languageId = 'typescript') => createContextItem({ kind: 'file', path, languageId, content });

describe('context items', () => {
  it('carry path, language, range, a content hash and a token estimate', () => {
    const item = createContextItem({ kind: 'selection', path: 'src/a.ts', languageId: 'typescript', range: { startLine: 3, endLine: 9 }, content: 'const a = 1;\n' });
    assert.equal(item.id, 'selection:src/a.ts#L3-9');
    assert.equal(itemLabel(item), 'src/a.ts:3-9');
    assert.equal(item.hash.length, 40);
    assert.ok(item.tokens > 0);
    assert.equal(file('x.ts', 'same').hash, file('y.ts', 'same').hash);
  });

  it('formats as a block with path, language and range, fenced longer than any backticks inside', () => {
    const item = createContextItem({ kind: 'selection', path: 'README.md', languageId: 'markdown', range: { startLine: 1, endLine: 1 }, content: '```js\nx\n```\n' });
    const text = formatContextItem(item);
    assert.match(text, /^Selection from `README\.md` \(markdown, line 1\):\n\n````markdown\n```js\nx\n```\n````$/);
    assert.match(formatContextItem(file('a.ts', 'x')), /^File `a\.ts` \(typescript\):/);
  });
});

describe('ContextSet: what is sent', () => {
  it('sends new items whole in the order added, then nothing until something changes', () => {
    const set = new ContextSet();
    set.add(file('b.ts', 'b'));
    set.add(file('a.ts', 'a'));
    const first = set.takeBlocks();
    assert.deepEqual(first.map((block) => block.label), ['b.ts', 'a.ts']);
    assert.deepEqual(set.list().map((entry) => entry.state), ['sent', 'sent']);
    assert.deepEqual(set.takeBlocks(), []);
  });

  it('an edited file becomes an updated-version block; an edit back to the sent version is no change', () => {
    const set = new ContextSet();
    set.add(file('a.ts', 'v1'));
    set.takeBlocks();
    assert.equal(set.updateContent('file:a.ts', 'v2'), true);
    assert.equal(set.get('file:a.ts')?.state, 'updated');
    const blocks = set.takeBlocks();
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]?.label, 'a.ts (updated)');
    assert.match(blocks[0]?.text ?? '', /^Updated version of `a\.ts`.*\n\n```typescript\nv2\n```$/s);
    set.updateContent('file:a.ts', 'v3');
    set.updateContent('file:a.ts', 'v2');
    assert.equal(set.get('file:a.ts')?.state, 'sent');
  });

  it('a deleted file is reported once if it was sent, and silently dropped if not', () => {
    const set = new ContextSet();
    set.add(file('a.ts', 'a'));
    set.takeBlocks();
    set.add(file('b.ts', 'b'));
    set.markDeleted('file:a.ts');
    set.markDeleted('file:b.ts');
    assert.deepEqual(set.list().map((entry) => [entry.item.path, entry.state]), [['a.ts', 'deleted']]);
    const blocks = set.takeBlocks();
    assert.match(blocks[0]?.text ?? '', /`a\.ts` was deleted/);
    assert.equal(set.size, 0);
  });

  it('a new conversation gets everything whole again; totals leave deleted items out', () => {
    const set = new ContextSet();
    set.add(file('a.ts', 'aaaa'));
    set.takeBlocks();
    set.forgetSent();
    assert.equal(set.get('file:a.ts')?.state, 'new');
    assert.equal(set.totalTokens(), file('a.ts', 'aaaa').tokens);
    let changes = 0;
    set.onDidChange(() => changes++);
    assert.equal(set.add(file('a.ts', 'aaaa')), 'unchanged');
    assert.equal(changes, 0);
    set.remove('file:a.ts');
    assert.equal(changes, 1);
  });
});

describe('context in the request and the history', () => {
  it('goes into the user turn it was sent with, before the text; the earlier turn never changes', () => {
    const set = new ContextSet();
    set.add(file('src/a.ts', 'export const a = 1;\n'));
    const conversation = createConversation(['sys'], 0);
    const user = appendUserTurn(conversation, 'What is a?', 0, set.takeBlocks());
    const answer = appendAssistantTurn(conversation, user.id, 'm', 0);
    answer.text = 'One.';
    answer.status = 'done';
    const before = buildRequest(conversation, { model: 'm', maxTokens: 10, cacheTtl: '5m' });
    const firstTurn = JSON.stringify((before.messages[0]?.content as TextBlockParam[]).map((block) => block.text));
    set.updateContent('file:src/a.ts', 'export const a = 2;\n');
    appendUserTurn(conversation, 'And now?', 0, set.takeBlocks());
    const after = buildRequest(conversation, { model: 'm', maxTokens: 10, cacheTtl: '5m' });
    const blocks = after.messages.map((message) => (message.content as TextBlockParam[]).map((block) => block.text));
    assert.equal(JSON.stringify(blocks[0]), firstTurn);
    assert.equal(blocks[0]?.length, 2);
    assert.match(blocks[0]?.[0] ?? '', /^File `src\/a\.ts` \(typescript\):/);
    assert.equal(blocks[0]?.[1], 'What is a?');
    assert.match(blocks[2]?.[0] ?? '', /^Updated version of `src\/a\.ts`[\s\S]*a = 2/);
    assert.equal(blocks[2]?.[1], 'And now?');
  });

  it('is persisted with the turn and read back identically; an edit keeps it', () => {
    const conversation = createConversation([], 0);
    const user = appendUserTurn(conversation, 'q', 5, [{ label: 'a.ts', text: 'File `a.ts`' }]);
    assert.deepEqual(readTurn(JSON.parse(JSON.stringify(user))), user);
    assert.equal(readTurn({ ...user, context: [{ label: 1, text: 'x' }] }), undefined);
    const forked = forkUserTurn(conversation, user.id, 'q2', 6);
    assert.deepEqual(forked?.context, user.context);
  });

  it('counts pending context as its own part of the next request', () => {
    const conversation = createConversation([], 0);
    const size = nextRequestSize(conversation, 'hi', { pendingContext: [{ label: 'a', text: 'x'.repeat(380) }] });
    assert.deepEqual(size.parts.find((part) => part.kind === 'context'), { kind: 'context', tokens: 100 });
  });
});

describe('exclusions', () => {
  const rules = new ExclusionRules({
    userPatterns: ['generated/', '*.snap'],
    filesExclude: ['**/.DS_Store', '**/dist'],
    gitignores: [{ dir: '', content: 'node_modules/\n*.log\n!keep.log\n' }, { dir: 'pkg', content: 'out/\n' }],
  });

  it('never sends secrets by default', () => {
    for (const path of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'tls.key', 'home/id_rsa', 'id_rsa.pub', 'store.p12', '.npmrc']) {
      assert.equal(rules.check(path)?.reason, 'secret', path);
    }
    assert.equal(rules.check('src/environment.ts'), undefined);
    assert.match(describeExclusion(rules.check('.env') ?? { reason: 'binary' }), /may hold secrets \(\.env\*\)/);
  });

  it('follows .gitignore (nested too), files.exclude and the setting, with the rule that matched', () => {
    assert.deepEqual(rules.check('node_modules/x/index.js'), { reason: 'gitignore', pattern: 'node_modules/' });
    assert.equal(rules.check('debug.log')?.reason, 'gitignore');
    assert.equal(rules.check('keep.log'), undefined);
    assert.equal(rules.check('pkg/out/a.js')?.reason, 'gitignore');
    assert.equal(rules.check('out/a.js'), undefined);
    assert.equal(rules.check('a/.DS_Store')?.reason, 'filesExclude');
    assert.equal(rules.check('web/dist/app.js')?.reason, 'filesExclude');
    assert.deepEqual(rules.check('generated/api.ts'), { reason: 'setting', pattern: 'generated/' });
    assert.equal(rules.check('test/__snapshots__/a.snap')?.reason, 'setting');
    assert.equal(rules.check('.git/config')?.reason, 'vcs');
    assert.equal(rules.check('../outside.ts')?.reason, 'setting');
    assert.equal(rules.checkFolder('node_modules')?.reason, 'gitignore');
    assert.equal(rules.checkFolder('src'), undefined);
    assert.equal(new ExclusionRules({ gitignores: [{ dir: '', content: '*.log' }], respectGitignore: false }).check('a.log'), undefined);
  });

  it('tells binaries by extension and by a NUL byte', () => {
    assert.equal(hasBinaryExtension('img/logo.PNG'), true);
    assert.equal(hasBinaryExtension('src/a.ts'), false);
    assert.equal(looksBinary(new Uint8Array([104, 105, 0, 1])), true);
    assert.equal(looksBinary(new TextEncoder().encode('plain text ✓')), false);
  });

  it('reads files.exclude as the globs switched on', () => {
    assert.deepEqual(enabledGlobs({ '**/.git': true, '**/x': false, '**/y': { when: '$(basename).ts' } }), ['**/.git']);
    assert.deepEqual(enabledGlobs('nonsense'), []);
  });
});

describe('limits and picks', () => {
  it('refuses a file over the per-file limit with its size and the limit, but not a range of it', () => {
    const refusal = checkSize('big.ts', 60_000, 0, DEFAULT_CONTEXT_LIMITS);
    assert.equal(refusal?.kind, 'tooLarge');
    assert.match(refusal?.message ?? '', /big\.ts is 60k tokens, over the 50k-token limit/);
    assert.equal(checkSize('big.ts', 60_000, 0, DEFAULT_CONTEXT_LIMITS, true), undefined);
    assert.equal(checkSize('a.ts', 10_000, 145_000, DEFAULT_CONTEXT_LIMITS)?.kind, 'overTotal');
  });

  it('reads limits from untrusted settings', () => {
    assert.deepEqual(limitsFrom({ maxFileTokens: 'x', maxTotalTokens: -5, maxFiles: 20.7 }), { ...DEFAULT_CONTEXT_LIMITS, maxFiles: 20 });
  });

  it('plans a pick: stable order, exclusions with reasons, refused above the file limit with a count', () => {
    const rules = new ExclusionRules({ gitignores: [{ dir: '', content: 'build/' }] });
    const plan = planPick(
      [{ path: 'src/b.ts', explicit: true }, { path: '.env', explicit: true }, { path: 'build/x.js', explicit: false }, { path: 'logo.bmp', explicit: false }, { path: 'src/a.ts', explicit: false }, { path: 'src/b.ts', explicit: false }],
      new EgressGate(rules), 10,
    );
    assert.deepEqual(plan.include, ['src/a.ts', 'src/b.ts']);
    assert.deepEqual(plan.excluded.map((entry) => [entry.path, entry.exclusion.reason, entry.explicit]), [['.env', 'secret', true], ['build/x.js', 'gitignore', false], ['logo.bmp', 'binary', false]]);
    assert.match(summarizeExcluded(plan.excluded, describeExclusion, 2), /^3 left out: \.env \(may hold secrets \(\.env\*\)\), build\/x\.js \(ignored by \.gitignore \(build\/\)\), and 1 more\.$/);
    const many = Array.from({ length: 10_000 }, (_, i) => ({ path: `src/f${i}.ts`, explicit: false }));
    const started = performance.now();
    const big = planPick(many, new EgressGate(rules), 500);
    assert.ok(performance.now() - started < 2000);
    assert.deepEqual(big.tooMany, { count: 10_000, limit: 500 });
    assert.deepEqual(big.include, []);
    assert.match(contextMessages.tooManyFiles(10_000, 500), /10,000 files is more than one pick may add \(500\)/);
  });
});

describe('fuzzy file search', () => {
  const paths = ['src/inventory.py', 'src/lru.go', 'docs/inventory-notes.md', 'test/test_inventory.py', 'src/core/context/contextSet.ts'];
  it('finds by subsequence, file-name matches first', () => {
    assert.equal(fuzzySearch('inv', paths)[0]?.path, 'src/inventory.py');
    assert.deepEqual(fuzzySearch('ctxset', paths).map((match) => match.path), ['src/core/context/contextSet.ts']);
    assert.deepEqual(fuzzySearch('zzz', paths), []);
    assert.equal(fuzzySearch('', paths, 2).length, 2);
  });
});

describe('reading a file into an item', () => {
  const bytesOf = (text: string) => async () => new TextEncoder().encode(text);

  it('decodes text, guesses the language from the name and hashes the content', async () => {
    const result = await readContextFile({ path: 'src/a.py', currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS }, bytesOf('print("ü")\n'));
    assert.ok(result.ok);
    assert.equal(result.item.content, 'print("ü")\n');
    assert.equal(result.item.languageId, 'python');
    assert.equal(languageIdFor('Dockerfile'), 'dockerfile');
    assert.equal(languageIdFor('notes'), 'plaintext');
  });

  it('prefers the open editor text and language, and cuts a range', async () => {
    const result = await readContextFile(
      { path: 'a.ts', text: 'l1\nl2\nl3\nl4', languageId: 'typescriptreact', range: { startLine: 2, endLine: 3 }, currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS },
      async () => assert.fail('must not read the disk'),
    );
    assert.ok(result.ok);
    assert.equal(result.item.content, 'l2\nl3');
    assert.equal(result.item.kind, 'selection');
    assert.equal(result.item.languageId, 'typescriptreact');
  });

  it('refuses binaries, unreadable files and files over the limit (without decoding them)', async () => {
    const binary = await readContextFile({ path: 'a.dat', currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS }, async () => new Uint8Array([1, 0, 2]));
    assert.equal(!binary.ok && binary.refusal.kind, 'excluded');
    const missing = await readContextFile({ path: 'gone.ts', currentTotal: 0, limits: DEFAULT_CONTEXT_LIMITS }, async () => { throw new Error('ENOENT'); });
    assert.match(!missing.ok ? missing.refusal.message : '', /gone\.ts could not be read: ENOENT/);
    const big = await readContextFile({ path: 'big.ts', currentTotal: 0, limits: { ...DEFAULT_CONTEXT_LIMITS, maxFileTokens: 100 } }, bytesOf('x'.repeat(4000)));
    assert.equal(!big.ok && big.refusal.kind, 'tooLarge');
    assert.match(!big.ok ? big.refusal.message : '', /big\.ts is 1\.05k tokens, over the 100-token limit/);
  });
});

describe('chips and the view gate', () => {
  it('lists items then excluded files, with their state and reason', () => {
    const set = new ContextSet();
    set.add(file('a.ts', 'a'));
    assert.deepEqual(chipViews(set, [{ path: '.env', reason: 'may hold secrets' }]).map((chip) => [chip.id, chip.state, chip.reason]), [
      ['file:a.ts', 'new', undefined], ['excluded:.env', 'excluded', 'may hold secrets'],
    ]);
  });

  it('listens only while the view is open', () => {
    const events = new Emitter<void>();
    let handled = 0;
    const gate = new ViewGate(() => events.event(() => handled++));
    events.fire();
    gate.setOpen(true);
    gate.setOpen(true);
    events.fire();
    gate.setOpen(false);
    events.fire();
    assert.equal(handled, 1);
    assert.equal(gate.isActive, false);
  });
});

describe('selection actions', () => {
  const selection = { path: 'src/a.ts', languageId: 'typescript', startLine: 3, endLine: 5, text: 'const a = 1;\n' };
  it('each builds a prompt around the selection with its path and range', () => {
    for (const action of ['explain', 'findBugs', 'refactor', 'writeTests', 'document'] as const) {
      const prompt = actionPrompt(action, selection);
      assert.match(prompt, /\n\n`src\/a\.ts` \(lines 3-5\):\n\n```typescript\nconst a = 1;\n```$/, action);
    }
    assert.equal(actionPrompt('explain', selection), explainPrompt(selection));
    assert.match(actionPrompt('findBugs', selection), /^Find bugs/);
    assert.match(actionPrompt('writeTests', selection), /^Write unit tests/);
  });
});

describe('expanding a pick', () => {
  /** A fake tree: path -> children (folders) or undefined (files). */
  function fakeFs(files: readonly string[]): PickFs<string> {
    const dirs = new Map<string, Map<string, EntryKind>>();
    for (const file of files) {
      const parts = file.split('/');
      for (let i = 0; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        const entries = dirs.get(dir) ?? new Map<string, EntryKind>();
        entries.set(parts[i] as string, i === parts.length - 1 ? 'file' : 'directory');
        dirs.set(dir, entries);
      }
    }
    return {
      stat: async (path) => (dirs.has(path) ? 'directory' : files.includes(path) ? 'file' : Promise.reject(new Error('ENOENT'))),
      readDirectory: async (path) => [...(dirs.get(path) ?? new Map<string, EntryKind>()).entries()],
      child: (path, name) => (path === '' ? name : `${path}/${name}`),
      path: (path) => path,
    };
  }
  const rules = new ExclusionRules({ gitignores: [{ dir: '', content: 'node_modules/\n' }] });

  it('walks folders under the rules; picked files are explicit, found ones are not', async () => {
    const fs = fakeFs(['src/a.ts', 'src/deep/b.ts', 'src/.env', 'node_modules/x/i.js', 'README.md']);
    const result = await expandPick(['src', 'README.md', 'node_modules', 'missing.ts'], fs, new EgressGate(rules));
    assert.deepEqual(result.picked.map((p) => [p.path, p.explicit]), [['README.md', true], ['src/a.ts', false], ['src/.env', false], ['src/deep/b.ts', false]]);
    assert.deepEqual(result.excludedFolders.map((f) => [f.path, f.exclusion.reason]), [['node_modules', 'gitignore']]);
    assert.deepEqual(result.unreadable.map((u) => u.path), ['missing.ts']);
    const plan = planPick(result.picked, new EgressGate(rules), 10);
    assert.deepEqual(plan.include, ['README.md', 'src/a.ts', 'src/deep/b.ts']);
    assert.deepEqual(plan.excluded.map((e) => [e.path, e.explicit]), [['src/.env', false]]);
  });

  it('10,000 files: yields to the event loop, reports progress, is refused with the count, and can be cancelled', async () => {
    const files = Array.from({ length: 10_000 }, (_, i) => `big/d${i % 50}/f${i}.ts`);
    const fs = fakeFs(files);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const progress: number[] = [];
    const result = await expandPick(['big'], fs, new EgressGate(rules), { onProgress: (found) => progress.push(found) });
    clearInterval(ticker);
    assert.equal(result.picked.length, 10_000);
    assert.ok(ticks > 0, 'other work ran while it walked');
    assert.equal(progress.at(-1), 10_000);
    assert.deepEqual(planPick(result.picked, new EgressGate(rules), 500).tooMany, { count: 10_000, limit: 500 });
    const abort = new AbortController();
    const cancelled = expandPick(['big'], fs, new EgressGate(rules), { signal: abort.signal, onProgress: () => abort.abort(new Error('cancelled')) });
    await assert.rejects(cancelled, /cancelled/);
  });
});

describe('planning a big pick in slices', () => {
  it('gives the same plan as planPick and lets other work run between slices', async () => {
    const rules = new ExclusionRules({ gitignores: [{ dir: '', content: '*.log\n' }] });
    const paths = Array.from({ length: 10_000 }, (_, i) => ({ path: `src/d${i % 9}/f${i}.${i % 10 === 0 ? 'log' : 'ts'}`, explicit: i < 3 }));
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const sliced = await planPickInSlices(paths, new EgressGate(rules), 20_000);
    clearInterval(ticker);
    assert.deepEqual(sliced, planPick(paths, new EgressGate(rules), 20_000));
    assert.equal(sliced.include.length, 9000);
    assert.ok(ticks > 0);
    const abort = new AbortController();
    abort.abort(new Error('cancelled'));
    await assert.rejects(planPickInSlices(paths, new EgressGate(rules), 10, abort.signal), /cancelled/);
  });
});
