/** Client for `/_control/*`, for tests and the demo driving a server in another process. */
import type { FaultSpec, RequestMatcherSpec, RequestRecord, ResponderName, ScriptedReply } from './types';

/** Over HTTP a matcher can only be data. */
export type RemoteReply = Omit<ScriptedReply, 'when'> & { when?: RequestMatcherSpec };
export type RemoteFault = Omit<FaultSpec, 'when'> & { when?: RequestMatcherSpec };

export class RemoteTestServer {
  constructor(readonly url: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${this.url}/_control${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path} failed with ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  async script(...replies: RemoteReply[]): Promise<void> {
    await this.call('POST', '/script', { replies });
  }

  async setResponder(responder: ResponderName): Promise<void> {
    await this.call('POST', '/responder', { responder });
  }

  async fault(spec: RemoteFault): Promise<void> {
    await this.call('POST', '/fault', spec);
  }

  async records(): Promise<RequestRecord[]> {
    return (await this.call<{ records: RequestRecord[] }>('GET', '/records')).records;
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset', {});
  }

  async advanceClock(ms: number): Promise<number> {
    return (await this.call<{ now: number }>('POST', '/clock/advance', { ms })).now;
  }
}
