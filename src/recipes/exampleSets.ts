/** Few-shot example sets, saved per workspace (workspaceState), and asking for a new one. */
import * as vscode from 'vscode';
import type { ExampleSet } from '../core/recipes/types';
import { recipeStrings } from './strings';

const KEY = 'claudeStudio.exampleSets';
const MAX_EXAMPLES = 20;

function isExampleSet(value: unknown): value is ExampleSet {
  if (typeof value !== 'object' || value === null) return false;
  const set = value as Partial<ExampleSet>;
  return typeof set.name === 'string' && typeof set.instruction === 'string' && Array.isArray(set.examples) &&
    set.examples.every((e: unknown) => typeof e === 'object' && e !== null && typeof (e as { input?: unknown }).input === 'string' && typeof (e as { output?: unknown }).output === 'string');
}

export class ExampleSetStore {
  constructor(private readonly state: vscode.Memento) {}

  list(): ExampleSet[] {
    const stored = this.state.get<unknown>(KEY);
    return Array.isArray(stored) ? stored.filter(isExampleSet) : [];
  }

  async save(set: ExampleSet): Promise<void> {
    await this.state.update(KEY, [...this.list().filter((s) => s.name !== set.name), set]);
  }

  /** Asks for a name, an instruction and input/output pairs; undefined when cancelled or empty. */
  async create(seedInput: string): Promise<ExampleSet | undefined> {
    const name = await vscode.window.showInputBox({ prompt: recipeStrings.exampleSetName, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : recipeStrings.exampleSetName) });
    if (!name) return undefined;
    const instruction = await vscode.window.showInputBox({ prompt: recipeStrings.exampleSetInstruction, ignoreFocusOut: true });
    if (instruction === undefined) return undefined;
    const examples: { input: string; output: string }[] = [];
    while (examples.length < MAX_EXAMPLES) {
      const n = examples.length + 1;
      const input = await vscode.window.showInputBox({ prompt: recipeStrings.exampleInput(n), value: n === 1 ? seedInput.slice(0, 2000) : '', ignoreFocusOut: true });
      if (!input?.trim()) break;
      const output = await vscode.window.showInputBox({ prompt: recipeStrings.exampleOutput(n), ignoreFocusOut: true });
      if (output === undefined) break;
      examples.push({ input, output });
    }
    if (examples.length === 0) return undefined;
    const set: ExampleSet = { name: name.trim(), instruction: instruction.trim() || 'Follow the examples.', examples };
    await this.save(set);
    return set;
  }
}
