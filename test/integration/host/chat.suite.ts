import * as assert from 'node:assert/strict';
import { activateExtension } from './extension';

export function registerChatSuite(): void {
  describe('chat through the real extension host', () => {
    it('answers a message from the local test server', async () => {
      // Both runners (host.test.ts, scripts/testElectron.ts) start a server: without one this fails, never skips.
      assert.ok(process.env.CLAUDE_STUDIO_IT_SERVER_URL, 'CLAUDE_STUDIO_IT_SERVER_URL is not set');
      const { api } = await activateExtension();
      await api.session.send('ping from the extension host');
      const answer = api.session.turns().at(-1);
      assert.ok(answer && answer.kind === 'assistant');
      assert.equal(answer.status, 'done', answer.kind === 'assistant' ? answer.error?.message : '');
      assert.match(answer.text, /ping from the extension host/);
    });

    it('freezes the workspace instructions and languages into the conversation\'s system prompt', async () => {
      assert.ok(process.env.CLAUDE_STUDIO_IT_SERVER_URL, 'CLAUDE_STUDIO_IT_SERVER_URL is not set');
      const { api } = await activateExtension();
      const system = api.session.current.system.join('\n');
      assert.match(system, /Answer in the style of a ship's log\./);
      assert.match(system, /The workspace is mostly Python\./);
      assert.match(system, /Today is \d{4}-\d{2}-\d{2}\./);
    });
  });
}
