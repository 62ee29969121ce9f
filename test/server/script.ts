import { demoReply } from './demo';
import { lastUserText, matches } from './matcher';
import { schemaInstance, structuredSchema } from './structured';
import type { MatchInput, MessagesRequest, Responder, ResponderName, ScriptedReply } from './types';

const ECHO_QUOTE_LIMIT = 200;

/** Default responder: short, predictable, and proves what the server received. */
export const echoResponder: Responder = (req, input) => {
  const text = input.lastUserText.length > ECHO_QUOTE_LIMIT ? `${input.lastUserText.slice(0, ECHO_QUOTE_LIMIT)}…` : input.lastUserText;
  const schema = structuredSchema(req);
  // Structured outputs: the API answers with JSON that matches the schema, never free text.
  const reply: ScriptedReply = { text: schema ? JSON.stringify(schemaInstance(schema, `Echo: ${text}`)) : `Echo: "${text}"` };
  if (thinkingRequested(req)) reply.thinking = `The user wrote ${input.lastUserText.length} characters; I will echo them.`;
  return reply;
};

export interface DemoPacing {
  chunkSize?: number;
  chunkDelayMs?: number;
}

/** The demo answers with custom pacing (tests speed it up; the default is paced for a human). */
export function createDemoResponder(pacing: DemoPacing = {}): Responder {
  return (req, input) => {
    const schema = structuredSchema(req);
    if (schema) return { text: JSON.stringify(schemaInstance(schema, 'demo')), ...pacing };
    const everyUserText = req.messages.filter((m) => m.role === 'user').map((m) => lastUserText([m])).join('\n\n');
    return { ...demoReply(input.lastUserText, thinkingRequested(req), everyUserText), ...pacing };
  };
}

export const demoResponder: Responder = createDemoResponder();

export function thinkingRequested(req: MessagesRequest): boolean {
  const type = req.thinking?.['type'];
  return type === 'enabled' || type === 'adaptive';
}

export function resolveResponder(responder: ResponderName | Responder | undefined): Responder {
  if (typeof responder === 'function') return responder;
  return responder === 'demo' ? demoResponder : echoResponder;
}

/** Queue of per-test replies in front of a fallback responder. */
export class ReplyScript {
  private readonly queue: ScriptedReply[] = [];
  private responder: Responder;

  constructor(private readonly initial: Responder) {
    this.responder = initial;
  }

  push(...replies: ScriptedReply[]): void {
    this.queue.push(...replies);
  }

  setResponder(responder: Responder): void {
    this.responder = responder;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** The first queued reply whose matcher accepts the request, else the responder's. */
  async next(req: MessagesRequest, input: MatchInput): Promise<ScriptedReply> {
    const index = this.queue.findIndex((reply) => matches(reply.when, input));
    if (index >= 0) return this.queue.splice(index, 1)[0] as ScriptedReply;
    return this.responder(req, input);
  }

  reset(): void {
    this.queue.length = 0;
    this.responder = this.initial;
  }
}
