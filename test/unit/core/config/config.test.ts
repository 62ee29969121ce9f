import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MODEL } from '../../../../src/core/anthropic/catalog';
import { CONFIG_KEYS, parseConfig } from '../../../../src/core/config/config';

function from(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

function parse(values: Record<string, unknown>): ReturnType<typeof parseConfig> {
  return parseConfig(from(values));
}

const problemFor = (problems: string[], key: string): string | undefined =>
  problems.find((p) => p.includes(`claudeStudio.${key}`));

describe('parseConfig defaults', () => {
  it('gives every default when nothing is set, with no problems', () => {
    const { config, problems } = parse({});
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      model: DEFAULT_MODEL,
      maxTokens: 8192,
      stopSequences: [],
      systemPrompt: [],
      thinking: { mode: 'off', budgetTokens: 4096, effort: null },
      cache: { ttl: 'auto' },
      provider: 'anthropic',
      bedrock: { region: '', profile: '', inferenceProfile: 'geo', endpoint: '' },
      vertex: { projectId: '', region: '', endpoint: '' },
      foundry: { resource: '', auth: 'apiKey', endpoint: '' },
      baseURL: '',
      authHeader: 'bearer',
      customHeaders: {},
      allowInsecureHttp: false,
      request: { timeoutSeconds: 600, maxRetries: 2, stallTimeoutSeconds: 60 },
      context: { maxFileTokens: 50_000, maxTotalTokens: 150_000, exclude: [], respectGitignore: true, maxFiles: 500 },
      images: { maxLongEdge: 1568 },
      profile: { expertise: 'intermediate', verbosity: 'concise', examples: true },
    });
  });

  it('CONFIG_KEYS defaults parse to the same config, and baseURL/authHeader/customHeaders/allowInsecureHttp are application-scoped', () => {
    const defaults = Object.fromEntries(CONFIG_KEYS.map((k) => [k.key, k.default]));
    const { config, problems } = parse(defaults);
    assert.deepEqual(problems, []);
    assert.deepEqual(config, parse({}).config);
    const appScoped = CONFIG_KEYS.filter((k) => k.applicationScope).map((k) => k.key);
    assert.deepEqual(appScoped.sort(), ['allowInsecureHttp', 'authHeader', 'baseURL', 'bedrock.endpoint', 'bedrock.inferenceProfile', 'bedrock.profile', 'bedrock.region', 'customHeaders', 'foundry.auth', 'foundry.endpoint', 'foundry.resource', 'provider', 'vertex.endpoint', 'vertex.projectId', 'vertex.region']);
  });

  it('provider and Bedrock settings: a bad region or profile falls back with a problem naming the setting', () => {
    const good = parse({ provider: 'bedrock', 'bedrock.region': 'eu-central-1', 'bedrock.profile': 'team-dev' }).config;
    assert.equal(good.provider, 'bedrock');
    assert.deepEqual(good.bedrock, { region: 'eu-central-1', profile: 'team-dev', inferenceProfile: 'geo', endpoint: '' });
    const bad = parse({ provider: 'watsonx', 'bedrock.region': 'https://evil.example', 'bedrock.profile': 'a b', 'bedrock.inferenceProfile': 'eu.' });
    assert.equal(bad.config.provider, 'anthropic');
    assert.deepEqual(bad.config.bedrock, { region: '', profile: '', inferenceProfile: 'geo', endpoint: '' });
    assert.equal(bad.problems.length, 4);
    assert.match(bad.problems.join('\n'), /claudeStudio\.bedrock\.region "https:\/\/evil\.example" is not an AWS region/);
  });

  it('vertex.endpoint and foundry.endpoint: https:// or a loopback http:// only, never with credentials', () => {
    for (const key of ['vertex.endpoint', 'foundry.endpoint'] as const) {
      const section = key === 'vertex.endpoint' ? 'vertex' : 'foundry';
      assert.equal(parse({ [key]: 'https://psc.example.internal/v1' }).config[section].endpoint, 'https://psc.example.internal/v1');
      assert.equal(parse({ [key]: 'http://127.0.0.1:4010' }).config[section].endpoint, 'http://127.0.0.1:4010');
      for (const bad of ['http://gateway.evil.example', 'https://user:pw@host.example', 'file:///etc/passwd']) {
        const parsed = parse({ [key]: bad });
        assert.equal(parsed.config[section].endpoint, '', `${key} ${bad}`);
        assert.equal(parsed.problems.length, 1, `${key} ${bad}`);
        assert.match(parsed.problems[0] ?? '', new RegExp(`claudeStudio\\.${key.replace('.', '\\.')}`));
      }
    }
  });

  it('bedrock.endpoint: https:// or a loopback http:// only, never with credentials', () => {
    assert.equal(parse({ 'bedrock.endpoint': 'https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com' }).config.bedrock.endpoint, 'https://vpce-0a1b.bedrock-runtime.us-east-1.vpce.amazonaws.com');
    assert.equal(parse({ 'bedrock.endpoint': 'http://127.0.0.1:4010' }).config.bedrock.endpoint, 'http://127.0.0.1:4010');
    for (const bad of ['http://bedrock.evil.example', 'https://user:pw@host.example', 'ftp://x']) {
      const parsed = parse({ 'bedrock.endpoint': bad });
      assert.equal(parsed.config.bedrock.endpoint, '', bad);
      assert.equal(parsed.problems.length, 1, bad);
    }
  });

  it('Vertex and Foundry settings: well-formed values are kept, anything else is dropped with a problem naming the setting', () => {
    const good = parse({ provider: 'vertex', 'vertex.projectId': 'my-team-project', 'vertex.region': 'us-east5', 'foundry.resource': 'contoso-ai', 'foundry.auth': 'entraId' }).config;
    assert.equal(good.provider, 'vertex');
    assert.deepEqual(good.vertex, { projectId: 'my-team-project', region: 'us-east5', endpoint: '' });
    assert.deepEqual(good.foundry, { resource: 'contoso-ai', auth: 'entraId', endpoint: '' });
    assert.equal(parse({ 'vertex.region': 'global' }).config.vertex.region, 'global');
    const bad = parse({ 'vertex.projectId': 'Bad Project', 'vertex.region': 'https://evil.example', 'foundry.resource': 'x.evil.example/', 'foundry.auth': 'password' });
    assert.deepEqual(bad.config.vertex, { projectId: '', region: '', endpoint: '' });
    assert.deepEqual(bad.config.foundry, { resource: '', auth: 'apiKey', endpoint: '' });
    assert.equal(bad.problems.length, 4);
    assert.match(bad.problems.join('\n'), /claudeStudio\.foundry\.resource "x\.evil\.example\/" is not a Foundry resource name/);
  });

  it('authHeader is bearer or x-api-key; anything else falls back to bearer with a problem naming the setting', () => {
    assert.equal(parse({ authHeader: 'x-api-key' }).config.authHeader, 'x-api-key');
    const bad = parse({ authHeader: 'X-Api-Key: secret' });
    assert.equal(bad.config.authHeader, 'bearer');
    assert.equal(bad.problems.length, 1);
    assert.match(bad.problems[0] ?? '', /authHeader/);
  });

  it('accepts a full set of valid values', () => {
    const { config, problems } = parse({
      model: 'claude-opus-4-6',
      maxTokens: 32_000,
      stopSequences: ['###'],
      systemPrompt: ['Be brief.', 'Use TypeScript.'],
      'thinking.mode': 'enabled',
      'thinking.budgetTokens': 10_000,
      'thinking.effort': 'high',
      'cache.ttl': '1h',
      baseURL: 'https://gateway.example.com/anthropic',
      customHeaders: { 'x-team': 'editor' },
      'request.maxRetries': 0,
      'context.exclude': ['**/*.snap'],
      'profile.expertise': 'expert',
      'profile.examples': false,
    });
    assert.deepEqual(problems, []);
    assert.equal(config.thinking.mode, 'enabled');
    assert.equal(config.thinking.budgetTokens, 10_000);
    assert.deepEqual(config.systemPrompt, ['Be brief.', 'Use TypeScript.']);
    assert.equal(config.request.maxRetries, 0);
    assert.equal(config.profile.examples, false);
  });
});

describe('parseConfig problems', () => {
  it('maxTokens must be a positive integer', () => {
    for (const bad of [0, -5, 1.5, '8192', Number.NaN]) {
      const { config, problems } = parse({ maxTokens: bad });
      assert.equal(config.maxTokens, 8192, String(bad));
      assert.match(problemFor(problems, 'maxTokens') ?? '', /whole number/);
    }
  });

  it("clamps maxTokens to the model's output limit", () => {
    const { config, problems } = parse({ model: 'claude-haiku-4-5', maxTokens: 100_000 });
    assert.equal(config.maxTokens, 64_000);
    assert.match(problemFor(problems, 'maxTokens') ?? '', /at most 64000/);
  });

  it('has no temperature: the API version the SDK speaks rejects sampling parameters', () => {
    const parsed = parse({ temperature: 0.3 });
    assert.equal('temperature' in parsed.config, false);
  });

  it('thinking budget must be >= 1024 and < maxTokens', () => {
    const low = parse({ model: 'claude-opus-4-6', 'thinking.mode': 'enabled', 'thinking.budgetTokens': 500 });
    assert.equal(low.config.thinking.budgetTokens, 1024);
    assert.match(problemFor(low.problems, 'thinking.budgetTokens') ?? '', /at least 1024/);
    const big = parse({ model: 'claude-opus-4-6', 'thinking.mode': 'enabled', maxTokens: 4000, 'thinking.budgetTokens': 8000 });
    assert.equal(big.config.thinking.budgetTokens, 3999);
    assert.match(problemFor(big.problems, 'thinking.budgetTokens') ?? '', /below/);
    const noRoom = parse({ model: 'claude-opus-4-6', 'thinking.mode': 'enabled', maxTokens: 1000 });
    assert.equal(noRoom.config.thinking.mode, 'off');
    assert.ok(noRoom.problems.some((p) => /thinking is turned off/.test(p)));
  });

  it("switches the thinking mode to one the model supports", () => {
    const adaptiveOnly = parse({ model: 'claude-sonnet-5-5', 'thinking.mode': 'enabled' });
    assert.equal(adaptiveOnly.config.thinking.mode, 'adaptive');
    assert.ok(problemFor(adaptiveOnly.problems, 'thinking.mode'));
    const enabledOnly = parse({ model: 'claude-haiku-4-5', 'thinking.mode': 'adaptive' });
    assert.equal(enabledOnly.config.thinking.mode, 'enabled');
  });

  it('drops an effort the model does not support', () => {
    const { config, problems } = parse({ model: 'claude-haiku-4-5', 'thinking.effort': 'high' });
    assert.equal(config.thinking.effort, null);
    assert.ok(problemFor(problems, 'thinking.effort'));
    assert.equal(parse({ 'thinking.effort': 'ultra' }).config.thinking.effort, null);
  });

  it('rejects bad enums, booleans and lists', () => {
    const { config, problems } = parse({
      'thinking.mode': 'always',
      'cache.ttl': '2h',
      'profile.verbosity': 'chatty',
      'profile.examples': 'yes',
      stopSequences: ['END', 7, '  '],
      'context.exclude': 'dist/**',
      systemPrompt: 42,
    });
    assert.equal(config.thinking.mode, 'off');
    assert.equal(config.cache.ttl, 'auto');
    assert.equal(config.profile.verbosity, 'concise');
    assert.equal(config.profile.examples, true);
    assert.deepEqual(config.stopSequences, ['END']);
    assert.deepEqual(config.context.exclude, []);
    assert.deepEqual(config.systemPrompt, []);
    for (const key of ['thinking.mode', 'cache.ttl', 'profile.verbosity', 'profile.examples', 'stopSequences', 'context.exclude', 'systemPrompt']) {
      assert.ok(problemFor(problems, key), `no problem for ${key}`);
    }
  });

  it('accepts systemPrompt as a single string', () => {
    assert.deepEqual(parse({ systemPrompt: 'Answer in French.' }).config.systemPrompt, ['Answer in French.']);
    assert.deepEqual(parse({ systemPrompt: '   ' }).config.systemPrompt, []);
  });

  it('rejects a non-http(s) base URL and auth-overriding headers', () => {
    for (const bad of ['ftp://x.example', 'javascript:alert(1)', 'nope', 'https://u:p@x.example']) {
      const { config, problems } = parse({ baseURL: bad });
      assert.equal(config.baseURL, '', bad);
      assert.ok(problemFor(problems, 'baseURL'), bad);
    }
    const { config, problems } = parse({
      customHeaders: { 'X-API-KEY': 'k', Authorization: 'Bearer x', 'anthropic-version': '1', 'x-ok': 'fine', 'x-num': 5, 'bad name': 'v' },
    });
    assert.deepEqual(config.customHeaders, { 'x-ok': 'fine' });
    assert.equal(problems.filter((p) => p.includes('customHeaders')).length, 5);
    assert.ok(problemFor(parse({ customHeaders: ['a'] }).problems, 'customHeaders'));
  });

  it('clamps request and context numbers', () => {
    const { config, problems } = parse({
      'request.timeoutSeconds': 1,
      'request.maxRetries': 50,
      'request.stallTimeoutSeconds': 999_999,
      'context.maxFileTokens': 400_000,
      'context.maxTotalTokens': 300_000,
    });
    assert.equal(config.request.timeoutSeconds, 5);
    assert.equal(config.request.maxRetries, 10);
    assert.equal(config.request.stallTimeoutSeconds, 3600);
    assert.equal(config.context.maxTotalTokens, 300_000);
    assert.equal(config.context.maxFileTokens, 300_000);
    assert.equal(problems.length, 4);
    const small = parse({ model: 'claude-haiku-4-5', 'context.maxTotalTokens': 199_000 });
    assert.equal(small.config.context.maxTotalTokens, 200_000 - 8192);
  });

  it('falls back from a retired or malformed model, and tolerates a throwing getter', () => {
    const retired = parse({ model: 'claude-mythos-preview' });
    assert.equal(retired.config.model, DEFAULT_MODEL);
    assert.match(problemFor(retired.problems, 'model') ?? '', /retired/);
    assert.equal(parse({ model: 'claude future' }).config.model, DEFAULT_MODEL);
    assert.equal(parse({ model: 'claude-next-7' }).config.model, 'claude-next-7');
    const throwing = parseConfig((key) => {
      if (key === 'maxTokens') throw new Error('boom');
      return undefined;
    });
    assert.equal(throwing.config.maxTokens, 8192);
    assert.equal(throwing.problems.length, 1);
  });

  it('never echoes an API key pasted into a setting', () => {
    const { problems } = parse({ model: 'sk-ant-api03-pasted key here', baseURL: 'sk-ant-api03-xyz' });
    assert.ok(problems.length >= 2);
    for (const p of problems) assert.ok(!p.includes('api03-pasted') && !p.includes('api03-xyz'), p);
  });
});
