import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { performance } from 'node:perf_hooks';
import { ExclusionRules } from '../../../../src/core/context';
import { EgressGate, redactLines, scanSecrets } from '../../../../src/core/egress';

const pem = (type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs1' | 'pkcs8' | 'sec1'): string =>
  generateKeyPairSync(type as 'rsa', { modulusLength: 1024, namedCurve: 'P-256', privateKeyEncoding: { type: format as 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } } as never).privateKey as unknown as string;
const publicPem = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).publicKey;
// Built from parts so this file itself does not trip secret scanners.
const j = (...parts: string[]): string => parts.join('');

/** True secrets, each inside ordinary code: every one must be found, on the right line. */
const SECRETS: readonly (readonly [string, string])[] = [
  ['RSA private key (PKCS#1)', pem('rsa', 'pkcs1')],
  ['RSA private key (PKCS#8)', pem('rsa', 'pkcs8')],
  ['EC private key', pem('ec', 'sec1')],
  ['Ed25519 private key', pem('ed25519', 'pkcs8')],
  ['private key in a template literal', `const key = \`${pem('rsa', 'pkcs8')}\`;`],
  ['AWS access key id', j('const id = "AKIA', 'Z7Q3XKVN4RTYUW2M";')],
  ['AWS temporary key id', j('AWS_ACCESS_KEY_ID=ASIA', 'Q2W3E4R5T6Y7U2I3')],
  ['AWS secret access key', j('aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ7PLM', 'KEYa"')],
  ['GitHub classic token', j('token = "ghp_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"')],
  ['GitHub fine-grained token', j('github_pat_', '11ABCDEFG0123456789abc_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456')],
  ['GitLab token', j('GITLAB=glpat-', 'xK9mQ2vL7nR4tY8wZ1aB')],
  ['Slack bot token', j('slack: xoxb-', '123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx')],
  ['Slack webhook', j('url = "https://hooks.slack.com/services/', 'T01234567/B01234567/AbCdEfGhIjKlMnOpQrStUvWx"')],
  ['npm token', j('//registry.npmjs.org/:_authToken=npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8')],
  ['Anthropic API key', j('ANTHROPIC_API_KEY=sk-ant-api03-', 'a'.repeat(93), 'AA')],
  ['OpenAI project key', j('const openai = "sk-proj-', 'Ab12Cd34Ef56Gh78Ij90Kl12', 'T3BlbkFJ', 'Mn34Op56Qr78St90Uv12Wx34";')],
  ['Stripe live key', j('stripe = Stripe("sk_live_', '4eC39HqLyjWDarjtT1zdp7dc")')],
  ['Google API key', j('const maps = "AIza', 'SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY";')],
  ['JWT', j('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ', '.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U')],
  ['Azure storage key', j('DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=', 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJD', '==;')],
  ['PostgreSQL URL with password', j('DATABASE_URL=postgres://admin:S3cr3t', 'Passw0rd@db.example.com:5432/app')],
  ['MongoDB URL with password', j('uri = "mongodb+srv://app:Xk29fLq', 'Pz83@cluster0.abcde.mongodb.net/db"')],
  ['MySQL URL with password', j('mysql://root:Tr0ub4dor', '3x@10.0.0.5:3306/shop')],
  ['basic auth in a URL', j('fetch("https://deploy:aB3dE5gH7', 'jK9@ci.example.com/hook")')],
  ['password in an env line', j('DB_PASSWORD=S3cr3t!', 'Pa55')],
  ['client secret in JSON', j('{ "client_secret": "9f8e7d6c5b4a3928', '1706f5e4d3c2b1a0" }')],
  ['API key in YAML', j('api_key: x9Kq2', 'Lm8Vn4Bz7Wc1')],
  ['token in Python', j('SLACK_SIGNING_SECRET = "8f14e45fceea167a', '5a36dedd4bea2543"')],
  ['password in code', j('const password = "hunter2', 'hunter2X9!";')],
  ['SendGrid key', j('SENDGRID=SG.', 'ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr')],
];

/** Look-alikes that are not secrets: all must pass. */
const NEAR_MISSES: readonly (readonly [string, string])[] = [
  ['AWS documentation example key', j('const id = "AKIA', 'IOSFODNN7EXAMPLE";')],
  ['password from the environment', 'password = process.env.DB_PASSWORD'],
  ['token counting', 'const tokenCount = tokens.length;'],
  ['template reference', 'apiKey = "${API_KEY}"'],
  ['placeholder in angle brackets', 'PASSWORD=<your password>'],
  ['placeholder word', 'password: "changeme"'],
  ['name ending elsewhere', 'tokenizer = "gpt2-tokenizer-v1"'],
  ['call', 'const secret = getSecret();'],
  ['identifier string', 'export const TOKEN_STATUS_ID = "claudeStudio.tokens";'],
  ['public key', publicPem],
  ['certificate header only', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
  ['database URL without password', 'postgres://localhost:5432/app'],
  ['plain URL', 'see https://example.com/path?q=1'],
  ['hash under a harmless name', 'sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'],
  ['UUID', 'const uuid = "123e4567-e89b-12d3-a456-426614174000";'],
  ['token prefix in prose', 'GitHub tokens start with ghp_ and are 40 characters long.'],
  ['key prefix alone', 'if (key.startsWith("sk-ant-")) return;'],
  ['password hashing', 'password_hash = bcrypt.hash(pw, 10)'],
  ['token type', 'token_type: "Bearer"'],
  ['Ruby env fetch', 'SECRET_KEY_BASE = ENV.fetch("SECRET_KEY_BASE")'],
  ['region constant', 'const AWS_REGION = "us-east-1";'],
  ['comment about a password', '# password: see the team vault'],
  ['short AIza', 'const prefix = "AIza";'],
  ['short eyJ', 'const header = "eyJhbGciOi";'],
  ['empty password', 'password: ""'],
  ['None password', 'password = None'],
  ['form field', "passwordInput.value = '';"],
  ['base64 image', `const logo = "data:image/png;base64,${'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='}";`],
  ['ordinary function', 'export function add(a: number, b: number): number {\n  return a + b;\n}'],
  ['secret in a type', 'interface Config { secret: string; token?: string }'],
  ['key path', 'const keyPath = "./certs/server.key";'],
  ['env var name only', 'const name = "OPENAI_API_KEY";'],
  ['member expression', "params.thinking = { type: 'enabled', budget_tokens: options.thinking?.budgetTokens ?? 1024 };"],
  ['token count field', 'const { max_tokens: maxTokens } = request;'],
];

describe('egress content scan', () => {
  it('leaves nothing behind on the performance timeline, however many scans (secretlint 12 kept 100 marks a scan)', async () => {
    const marks = (): number => performance.getEntriesByType('mark').length;
    await scanSecrets('const a = 1;\n', 'src/warm.ts');
    const before = marks();
    for (let i = 0; i < 50; i++) await scanSecrets(`const token = "${'Zq8'.repeat(i % 5)}";\n`, 'src/a.ts');
    // The observer that copies marks is called asynchronously: let it run before counting.
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(marks() - before, 0);
  });

  it('has at least 40 content samples', () => {
    assert.ok(SECRETS.length + NEAR_MISSES.length >= 40);
  });

  for (const [name, secret] of SECRETS) {
    it(`finds ${name}, on its line`, async () => {
      const text = `import { x } from './x';\n\n${secret}\nexport const after = 1;\n`;
      const hits = await scanSecrets(text, 'src/config.ts');
      assert.ok(hits.length > 0, `no hit for ${name}`);
      assert.equal(hits[0]?.line, 3);
    });
  }

  for (const [name, text] of NEAR_MISSES) {
    it(`lets ${name} through`, async () => {
      assert.deepEqual(await scanSecrets(text, 'src/config.ts'), []);
    });
  }

  it('is not switched off by a secretlint-disable comment in the file', async () => {
    const hits = await scanSecrets(j('// secretlint-disable\nconst id = "AKIA', 'Z7Q3XKVN4RTYUW2M";\n', pem('rsa', 'pkcs8')));
    assert.deepEqual([...new Set(hits.map((hit) => hit.rule))].sort(), ['aws-access-key-id', 'privatekey']);
  });

  it('redacts the lines it found, a key block whole, and nothing else', async () => {
    const text = j('const a = 1;\n', pem('rsa', 'pkcs8'), 'const id = "AKIA', 'Z7Q3XKVN4RTYUW2M";\nconst b = 2;\n');
    const redacted = redactLines(text, await scanSecrets(text));
    assert.equal((await scanSecrets(redacted)).length, 0);
    assert.match(redacted, /^const a = 1;\n/);
    assert.match(redacted, /\nconst b = 2;\n$/);
    assert.ok(!redacted.includes('PRIVATE KEY'));
  });

  it('names what it found and where, through the gate', async () => {
    const gate = new EgressGate(new ExclusionRules());
    const verdict = await gate.check({ path: 'src/config.ts' }, j('x\nconst id = "AKIA', 'Z7Q3XKVN4RTYUW2M";'));
    assert.deepEqual(verdict.exclusion, { reason: 'secretContent', pattern: 'an AWS access key on line 2' });
    assert.deepEqual(await gate.check({ path: 'src/a.ts' }, 'const a = 1;'), {});
    assert.equal((await gate.check({ path: '.env' }, 'A=1')).exclusion?.reason, 'secret');
  });
});
