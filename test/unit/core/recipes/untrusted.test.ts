/** Recipe data from the workspace or settings is untrusted: odd keys and schemas cost only themselves. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRecipeSource } from '../../../../src/core/recipes/definition';
import { checkJson, compileSchema, compiledSchemaCount } from '../../../../src/core/recipes/jsonOutput';
import { fillTemplate } from '../../../../src/core/recipes/parsers';
import { requestKey } from '../../../../src/core/tokens/requestKey';

describe('recipe definitions with keys named like Object.prototype members', () => {
  for (const key of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
    it(`a prompts key "${key}" is reported as unknown, and the other recipes still load (from a file and from settings)`, () => {
      const bad = `{"id": "bad", "name": "Bad", "kind": "chainOfThought", "prompts": {"${key}": "Do {{request}}"}}`;
      const good = '{"id": "good", "name": "Good", "kind": "chainOfThought", "prompts": {"task": "Think about {{request}}"}}';
      const fromFile = parseRecipeSource({ text: `[${bad}, ${good}]` }, 'recipes.json');
      const fromSettings = parseRecipeSource({ value: JSON.parse(`[${bad}, ${good}]`) as unknown }, 'settings');
      for (const parsed of [fromFile, fromSettings]) {
        assert.deepEqual(parsed.recipes.map((recipe) => recipe.id), ['good']);
        assert.equal(parsed.problems.length, 1);
        assert.equal(parsed.problems[0]?.field, `[0].prompts.${key}`);
        assert.match(parsed.problems[0]?.message ?? '', /is not a template of kind chainOfThought/);
      }
    });
  }

  it('a template placeholder named like a prototype member is left as written', () => {
    assert.equal(fillTemplate('{{constructor}} {{toString}} {{request}}', { request: 'r' }), '{{constructor}} {{toString}} {{request}}'.replace('{{request}}', 'r'));
  });

  it('a __proto__ key counts in the content hash instead of vanishing', () => {
    assert.notEqual(requestKey(JSON.parse('{"__proto__": {"a": 1}}')), requestKey({}));
  });
});

describe('JSON schemas are compiled once per content, in a bounded cache', () => {
  const withId = (): Record<string, unknown> => JSON.parse('{"$id": "https://example.com/answer.json", "type": "object", "required": ["ok"]}') as Record<string, unknown>;

  it('the same schema with $id, re-read as a new object for each run, compiles every time', () => {
    for (let run = 0; run < 3; run++) {
      const compiled = compileSchema(withId());
      assert.ok('validate' in compiled, 'error' in compiled ? compiled.error : '');
      assert.deepEqual(checkJson('{"ok": true}', withId()), { value: { ok: true } });
      assert.ok('error' in checkJson('{}', withId()));
    }
  });

  it('two different schemas with the same $id each validate by their own rules', () => {
    const other = { $id: 'https://example.com/answer.json', type: 'object', required: ['other'] };
    assert.ok('value' in checkJson('{"other": 1}', other));
    assert.ok('error' in checkJson('{"other": 1}', withId()));
  });

  it('holds at most a bounded number of compiled validators', () => {
    for (let i = 0; i < 40; i++) compileSchema({ type: 'object', required: [`field${i}`] });
    assert.ok(compiledSchemaCount() <= 32, `held ${compiledSchemaCount()}`);
  });
});
