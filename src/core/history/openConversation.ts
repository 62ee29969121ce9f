import type { HistoryFs } from './historyPorts';
import { isNotFound } from './historyPorts';
import { isConversationId } from './historyRecords';
import type { WriteQueues } from './writeQueues';

/** The file is appended to and restarted once it holds this many lines. */
const MAX_LINES = 50;
const QUEUE = '#open';

/**
 * A tiny file naming the open conversation, so reopening VS Code restores it. Each change appends
 * `{"open":id|null}`: the previous answer stays readable until the new line is down, and a torn
 * last line falls back to the one before it.
 */
export class OpenConversationFile {
  private lines = 0;

  constructor(
    private readonly fs: HistoryFs,
    private readonly dir: string,
    private readonly queues: WriteQueues,
  ) {}

  private get path(): string {
    return `${this.dir}/open.jsonl`;
  }

  async set(id: string | undefined): Promise<void> {
    await this.queues.run(QUEUE, async () => {
      await this.fs.mkdir(this.dir);
      if (this.lines >= MAX_LINES) {
        await this.fs.unlink(this.path).catch((error: unknown) => {
          if (!isNotFound(error)) throw error;
        });
        this.lines = 0;
      }
      await this.fs.appendFile(this.path, `${JSON.stringify({ open: id ?? null })}\n`);
      this.lines++;
    });
  }

  async get(): Promise<string | undefined> {
    await this.queues.idle(QUEUE);
    const text = await this.fs.readFile(this.path).catch((error: unknown) => {
      if (isNotFound(error)) return '';
      throw error;
    });
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    this.lines = lines.length;
    for (const line of lines.reverse()) {
      try {
        const value: unknown = JSON.parse(line);
        // The file is untrusted: only a well-formed id is handed on (it becomes a file name).
        if (typeof value === 'object' && value !== null && 'open' in value) return isConversationId(value.open) ? value.open : undefined;
      } catch {
        // A torn line: the one before it still says what was open.
      }
    }
    return undefined;
  }
}
