import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_RECIPE_DATA, builtinRecipes } from '../../../../src/core/recipes/builtins';
import { formatProblem, mergeById, parsePersonas, parseRecipeSource } from '../../../../src/core/recipes/definition';

describe('recipe definitions', () => {
  it('every built-in is valid in the user format, covering all eight patterns', () => {
    const parsed = parseRecipeSource({ value: BUILTIN_RECIPE_DATA }, 'built-in');
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.recipes.length, BUILTIN_RECIPE_DATA.length);
    assert.deepEqual(new Set(builtinRecipes().map((r) => r.kind)).size, 8);
    const slashes = builtinRecipes().map((r) => r.slash);
    assert.equal(new Set(slashes).size, slashes.length, 'slash commands are unique');
    assert.ok(slashes.includes('personas') && slashes.includes('cot') && slashes.includes('refine'));
  });

  it('reads a user recipe file with one recipe', () => {
    const text = JSON.stringify({ id: 'tone', name: 'Tone check', kind: 'multiPersona', personas: ['newcomer'], prompts: { view: 'As {{persona}}: {{request}}' } });
    const parsed = parseRecipeSource({ text }, '.claude-studio/recipes/tone.json');
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.recipes[0]?.slash, 'tone');
  });

  it('names the file and field of every problem', () => {
    const parsed = parseRecipeSource(
      { value: [{ id: 'Bad Id', kind: 'magic', samples: 100 }, { id: 'ok', name: 'Ok', kind: 'refine', prompts: { critique: 'Look at {{drafts}}', view: 'x' }, extra: 1 }] },
      'settings: claudeStudio.recipes',
    );
    const messages = parsed.problems.map(formatProblem);
    assert.deepEqual(parsed.recipes, []);
    assert.ok(messages.includes('settings: claudeStudio.recipes: [0].id: use lower-case letters, digits and dashes (at most 40), starting with a letter or digit'), messages.join('\n'));
    assert.ok(messages.includes('settings: claudeStudio.recipes: [0].name: is required'));
    assert.ok(messages.some((m) => m.startsWith('settings: claudeStudio.recipes: [0].kind: must be one of chainOfThought')));
    assert.ok(messages.includes('settings: claudeStudio.recipes: [0].samples: must be a whole number from 2 to 20'));
    assert.ok(messages.some((m) => m.startsWith('settings: claudeStudio.recipes: [1].extra: unknown field')));
    assert.ok(messages.includes('settings: claudeStudio.recipes: [1].prompts.critique: unknown placeholder {{drafts}} (this template knows: {{request}}, {{draft}})'));
    assert.ok(messages.includes('settings: claudeStudio.recipes: [1].prompts.view: is not a template of kind refine (it reads: draft, critique, improve)'));
  });

  it('refuses a recipe that would take the chat\'s own /batch command', () => {
    const byId = parseRecipeSource({ value: { id: 'batch', name: 'B', kind: 'role' } }, 'r.json');
    const bySlash = parseRecipeSource({ value: { id: 'b', name: 'B', kind: 'role', slash: 'batch' } }, 'r.json');
    assert.deepEqual(byId.problems.map(formatProblem), ['r.json: id: "/batch" is the chat\'s own command; choose another word']);
    assert.deepEqual(bySlash.problems.map(formatProblem), ['r.json: slash: "/batch" is the chat\'s own command; choose another word']);
  });

  it('reports a JSON syntax error against the file', () => {
    const parsed = parseRecipeSource({ text: '{ "id": ' }, 'r.json');
    assert.equal(parsed.problems.length, 1);
    assert.match(formatProblem(parsed.problems[0]!), /^r\.json: not valid JSON/);
  });

  it('reads personas and rejects bad entries one by one', () => {
    const parsed = parsePersonas([{ id: 'dba', name: 'DBA', prompt: 'You are a DBA.' }, { id: 'x', name: '' }, 'nope'], 'claudeStudio.personas');
    assert.deepEqual(parsed.personas.map((p) => p.id), ['dba']);
    assert.deepEqual(parsed.problems.map(formatProblem), [
      'claudeStudio.personas: [1].name: must be a non-empty string of at most 80 characters',
      'claudeStudio.personas: [2]: must be an object {id, name, prompt}',
    ]);
  });

  it('a later source overrides a recipe with the same id', () => {
    const merged = mergeById([{ id: 'a', v: 1 }, { id: 'b', v: 1 }], [{ id: 'a', v: 2 }]);
    assert.deepEqual(merged, [{ id: 'a', v: 2 }, { id: 'b', v: 1 }]);
  });
});
