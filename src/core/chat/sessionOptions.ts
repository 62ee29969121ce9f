import type { Config } from '../config/config';
import type { SessionOptions } from './chatSession';

/**
 * The request options a chat turn is built with, from the settings. One function, so the chat
 * and the token count (which must count exactly what the chat would send) never drift apart.
 */
export function sessionOptionsFrom(config: Config): SessionOptions {
  return {
    model: config.model,
    maxTokens: config.maxTokens,
    stopSequences: config.stopSequences,
    thinking: config.thinking,
    effort: config.thinking.effort,
    cacheTtl: config.cache.ttl,
    stallTimeoutMs: config.request.stallTimeoutSeconds * 1000,
    maxRetries: config.request.maxRetries,
  };
}
