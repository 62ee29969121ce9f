import * as vscode from 'vscode';
import { readRawSetting } from '../platform/rawSettings';

/** A saved prompt offered when creating a batch. */
export interface SavedPrompt {
  readonly name: string;
  readonly prompt: string;
}

export interface BatchSettings {
  readonly concurrency: number;
  readonly pollMinMs: number;
  readonly pollMaxMs: number;
  readonly maxTokens: number;
  readonly savedPrompts: readonly SavedPrompt[];
}

function int(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}

/** The claudeStudio.batch.* settings, validated (bad values fall back to defaults). */
export function readBatchSettings(): BatchSettings {
  const configuration = vscode.workspace.getConfiguration('claudeStudio');
  const trusted = vscode.workspace.isTrusted;
  // Through the one reader, so Restricted Mode ignores a workspace's batch settings.
  const config = { get: <T = unknown>(key: string): T => readRawSetting(configuration, `batch.${key}`, trusted) as T };
  const pollMinMs = int(config.get('pollIntervalMinSeconds'), 5, 1, 3600) * 1000;
  const rawPrompts = config.get<unknown>('savedPrompts');
  const savedPrompts = Array.isArray(rawPrompts)
    ? rawPrompts.flatMap((p: unknown): SavedPrompt[] => {
        if (typeof p === 'string' && p.trim()) return [{ name: p.trim().split('\n')[0]!.slice(0, 60), prompt: p }];
        if (typeof p === 'object' && p !== null && typeof (p as SavedPrompt).prompt === 'string' && (p as SavedPrompt).prompt.trim()) {
          const name = typeof (p as SavedPrompt).name === 'string' && (p as SavedPrompt).name.trim() ? (p as SavedPrompt).name : (p as SavedPrompt).prompt.slice(0, 60);
          return [{ name, prompt: (p as SavedPrompt).prompt }];
        }
        return [];
      })
    : [];
  return {
    concurrency: int(config.get('concurrency'), 4, 1, 32),
    pollMinMs,
    pollMaxMs: Math.max(pollMinMs, int(config.get('pollIntervalMaxSeconds'), 60, 1, 3600) * 1000),
    maxTokens: int(config.get('maxTokens'), 4096, 1, 128_000),
    savedPrompts,
  };
}

/**
 * The saved prompts offered when creating a batch. The batch command lists the prompt recipes
 * that are one request per file after them, under their own separator.
 */
export function promptChoices(settings: BatchSettings = readBatchSettings()): SavedPrompt[] {
  return [...settings.savedPrompts];
}
