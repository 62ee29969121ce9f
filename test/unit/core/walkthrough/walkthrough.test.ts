import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WALKTHROUGH_CONTEXT_KEYS, WALKTHROUGH_ID, shouldOpenWalkthrough } from '../../../../src/core/walkthrough/walkthrough';

const ROOT = path.resolve(__dirname, '../../../..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string; altText?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> }[] | { properties: Record<string, unknown> }; walkthroughs: { id: string; steps: Step[] }[] };
}

const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const walkthrough = manifest.contributes.walkthroughs.find((w) => w.id === WALKTHROUGH_ID);
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
const configurations = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
const settings = new Set(configurations.flatMap((c) => Object.keys(c.properties)));
const contextKeys = new Set<string>(Object.values(WALKTHROUGH_CONTEXT_KEYS));
const NLS_FILES = ['package.nls.json', 'package.nls.de.json', 'package.nls.zh-cn.json'];

/** A manifest value as VS Code shows it in the language of `nlsFile`: `%key%` looked up there. */
function resolveNls(value: string | undefined, nlsFile: string): string | undefined {
  const key = /^%(.+)%$/.exec(value ?? '')?.[1];
  if (key === undefined) return value;
  const messages = JSON.parse(fs.readFileSync(path.join(ROOT, nlsFile), 'utf8')) as Record<string, string>;
  return messages[key];
}

describe('walkthrough', () => {
  it('opens on the first run only, unless the user turned walkthroughs on install off', () => {
    assert.equal(shouldOpenWalkthrough({ alreadyShown: undefined, openOnInstall: undefined }), true);
    assert.equal(shouldOpenWalkthrough({ alreadyShown: undefined, openOnInstall: true }), true);
    assert.equal(shouldOpenWalkthrough({ alreadyShown: true, openOnInstall: true }), false);
    assert.equal(shouldOpenWalkthrough({ alreadyShown: undefined, openOnInstall: false }), false);
  });

  it('has the six steps, each with small media that exists (in every language) and completion events', () => {
    assert.ok(walkthrough, `package.json has the ${WALKTHROUGH_ID} walkthrough`);
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['setup', 'context', 'ask', 'cost', 'batch', 'recipe']);
    for (const step of walkthrough.steps) {
      // A page is named by a %key% so VS Code's manifest translation picks the display language's copy.
      for (const nls of NLS_FILES) {
        const media = resolveNls(step.media.markdown ?? step.media.image, nls);
        assert.ok(media?.startsWith('media/walkthrough/'), `${step.id} (${nls}): media under media/walkthrough/`);
        const size = fs.statSync(path.join(ROOT, media ?? '')).size;
        assert.ok(size < 50_000, `${step.id} (${nls}): ${media} is ${size} bytes`);
      }
      if (step.media.image !== undefined) assert.ok(step.media.altText, `${step.id}: an image has alt text`);
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id}: completes when done, not when clicked`);
    }
  });

  it('completes only on commands it contributes, settings it declares and context keys the extension sets', () => {
    const used = new Set<string>();
    for (const step of walkthrough?.steps ?? []) {
      for (const event of step.completionEvents ?? []) {
        const [kind, name = ''] = event.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(name), `${step.id}: ${name} is a contributed command`);
        else if (kind === 'onSettingChanged') assert.ok(settings.has(name), `${step.id}: ${name} is a declared setting`);
        else if (kind === 'onContext') {
          assert.ok(contextKeys.has(name), `${step.id}: ${name} is set by the extension`);
          used.add(name);
        } else assert.fail(`${step.id}: unexpected completion event ${event}`);
      }
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) {
        assert.ok(command !== undefined && (commands.has(command) || command.startsWith('workbench.')), `${step.id}: button runs ${command}`);
      }
    }
    assert.deepEqual([...used].sort(), [...contextKeys].sort(), 'every context key set is used by a step');
  });
});
