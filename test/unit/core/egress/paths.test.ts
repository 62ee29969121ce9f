import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExclusionRules } from '../../../../src/core/context';
import { skipReason } from '../../../../src/core/batches/fileFilter';
import { DEFAULT_SECRET_PATTERNS, EgressGate, SECRET_PATH_WORDS } from '../../../../src/core/egress';

/** Credential files and version-control data: every one must be blocked, by chat and batch alike. */
const SECRET_PATHS = [
  '.env', 'app/.env', '.env.local', '.env.production', '.ENV', 'config/prod.env', 'prod.env.bak', 'deploy/staging.env.bak', 'deploy/.envrc',
  'id_rsa', 'ID_RSA', 'home/.ssh/id_ed25519', 'id_ecdsa.pub', '.ssh/config', 'u/.ssh/known_hosts', 'keys/server.pem', 'certs/site.key', 'tls/cert.crt',
  'store.p12', 'app.pfx', 'release.jks', 'android.keystore', 'db.kdbx', 'putty.ppk', 'backup.tar.gpg', 'release.asc', '.gnupg/pubring.kbx',
  '.aws/credentials', 'home/.aws/credentials', '.AWS/Credentials', '.aws/config', 'credentials', 'credentials.json', 'gcp/service-account.json',
  'service-account-prod.json', 'ci/deploy-service-account.json', 'application_default_credentials.json', 'prod.tfvars', 'infra/terraform.tfvars.json',
  'terraform.tfstate', 'terraform.tfstate.backup', 'state/prod.tfstate', 'kubeconfig', 'clusters/dev.kubeconfig', '.kube/config', 'home/.kube/config',
  '.pgpass', '.netrc', '.npmrc', '.NPMRC', '.pypirc', '.vault-token', '.docker/config.json', '.git-credentials', '.htpasswd', 'secret.yaml',
  'k8s/secrets.yaml', 'k8s/db-secret.yml', 'app.secret', '.my.cnf',
];

const VCS_PATHS = ['.git/config', '.GIT/config', 'sub/.Git/HEAD', '.hg/hgrc', '.svn/entries'];

/** Names that look like the above and are ordinary source or config: all must pass. */
const HARMLESS_PATHS = [
  'src/env.ts', 'src/environment.ts', 'vite-env.d.ts', 'src/vite.env.d.ts', 'src/config/env.js', 'environment.yml', 'docs/ssh.md', 'src/keys.ts',
  'src/keyboard.ts', 'src/monkey.py', 'lib/pem.ts', 'src/credentials.ts', 'src/credentialsForm.tsx', 'src/auth/token.ts', 'src/secretSanta.ts',
  'src/terraform.ts', 'docs/tfvars.md', 'infra/main.tf', 'infra/variables.tf', 'k8s/deployment.yaml', 'src/kube/config.ts', 'docker/config.json',
  'config.json', 'package.json', '.npmignore', '.gitignore', '.github/workflows/ci.yml', '.gitattributes', 'src/git/status.ts', 'README.md',
  'src/ascii.ts', 'docs/gpg.md', 'src/components/KeyCap.tsx', '.eslintrc.json', 'tsconfig.json', 'src/id_map.ts', '.vscode/settings.json',
  'src/netrc.ts', 'pgpass.py', 'service.json', 'accounts.json', 'src/tokens/estimate.ts', 'envoy.yaml', 'src/aws/client.ts', 'docs/credentials-howto.md',
];

describe('egress path rules (one list for chat, @, batches and Run now)', () => {
  const gate = new EgressGate(new ExclusionRules());

  it('every pattern holds a word of the quick pre-check, so the pre-check never hides a match', () => {
    for (const pattern of DEFAULT_SECRET_PATTERNS.filter((p) => !p.startsWith('!'))) {
      assert.ok(SECRET_PATH_WORDS.some((word) => pattern.toLowerCase().includes(word)), pattern);
    }
  });

  it('has at least 60 path cases', () => {
    assert.ok(SECRET_PATHS.length + VCS_PATHS.length + HARMLESS_PATHS.length >= 60);
  });

  for (const path of SECRET_PATHS) {
    it(`blocks ${path} as a secret, in the chat and in a batch`, () => {
      assert.equal(gate.checkPath({ path })?.reason, 'secret');
      assert.equal(skipReason(path), 'may hold secrets');
    });
  }

  for (const path of VCS_PATHS) {
    it(`blocks ${path} as version-control data`, () => {
      assert.equal(gate.checkPath({ path })?.reason, 'vcs');
      assert.equal(skipReason(path), 'in an ignored folder');
    });
  }

  for (const path of HARMLESS_PATHS) {
    it(`lets ${path} through`, () => {
      assert.equal(gate.checkPath({ path }), undefined);
      assert.equal(skipReason(path), undefined);
    });
  }

  it('blocks a folder the list covers whole, and walks an ordinary one', () => {
    assert.equal(gate.checkFolder({ path: '.ssh' })?.reason, 'secret');
    assert.equal(gate.checkFolder({ path: 'home/.gnupg' })?.reason, 'secret');
    assert.equal(gate.checkFolder({ path: '.GIT' })?.reason, 'vcs');
    assert.equal(gate.checkFolder({ path: 'src' }), undefined);
    assert.equal(gate.checkFolder({ path: '.aws' }), undefined);
  });
});

describe('egress real paths (symlinks)', () => {
  const gate = new EgressGate(new ExclusionRules({ gitignores: [{ dir: '', content: 'build/\n' }] }));

  it('applies the rules to the real path behind a link, and says so', () => {
    const verdict = gate.checkPath({ path: 'src/config.txt', real: { inside: true, path: '.env' } });
    assert.deepEqual(verdict, { reason: 'secret', pattern: '.env*', via: '.env' });
    assert.equal(gate.checkPath({ path: 'src/out.js', real: { inside: true, path: 'build/out.js' } })?.reason, 'gitignore');
  });

  it('refuses a real path outside the workspace folders', () => {
    assert.deepEqual(gate.checkPath({ path: 'docs/notes.md', real: { inside: false, path: '/home/u/.aws/credentials' } }), { reason: 'outside', pattern: '/home/u/.aws/credentials' });
    assert.equal(gate.checkFolder({ path: 'vendor', real: { inside: false, path: '/opt/lib' } })?.reason, 'outside');
  });

  it('lets a link to an ordinary file inside the workspace through', () => {
    assert.equal(gate.checkPath({ path: 'src/alias.ts', real: { inside: true, path: 'src/real.ts' } }), undefined);
    assert.equal(gate.checkPath({ path: 'src/a.ts', real: { inside: true, path: 'src/a.ts' } }), undefined);
  });

  it('still checks the link\'s own path first', () => {
    assert.equal(gate.checkPath({ path: '.env', real: { inside: true, path: 'src/a.ts' } })?.reason, 'secret');
  });

  it('refuses from the size alone', () => {
    assert.equal(gate.checkSize(300 * 1024 * 1024)?.reason, 'tooLarge');
    assert.equal(gate.checkSize(1024), undefined);
  });
});
