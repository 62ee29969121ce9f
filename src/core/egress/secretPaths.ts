import ignore from 'ignore';

/**
 * The one list of file names and paths that hold credentials: the chat, the `@` picker, batches,
 * Run now and instructions all match against it (gitignore syntax, case-insensitive, matched on
 * the workspace-relative path and on the real path behind a symlink). A name that is only
 * usually a secret is here too: sending it needs one explicit confirmation, never a guess.
 */
export const DEFAULT_SECRET_PATTERNS: readonly string[] = [
  // Environment files, and their backups and variants (`prod.env.bak`); type declarations are code.
  '*.env', '.env*', '.envrc', '*.env.*', '!*.env.d.ts', '!*.env.ts', '!*.env.js', '!*.env.mjs', '!*.env.cjs',
  // Private keys, certificates, keystores, encrypted and signed blobs.
  '*.pem', '*.key', '*.crt', '*.cer', '*.der', '*.p8', '*.p12', '*.pfx', '*.jks', '*.keystore', '*.kdbx', '*.ppk', '*.gpg', '*.asc',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '.ssh/', '.gnupg/',
  // Tool and cloud credentials.
  '**/.aws/credentials', '**/.aws/config', 'credentials', 'credentials.json', 'service-account*.json', '*-service-account*.json',
  'application_default_credentials.json', '.azure/', '**/.config/gcloud/',
  'kubeconfig', '*.kubeconfig', '**/.kube/config', '**/.docker/config.json',
  '*.tfvars', '*.tfvars.json', '*.tfstate', '*.tfstate.*', 'terraform.tfstate*',
  '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.pgpass', '.my.cnf', '.vault-token', '.git-credentials', '.htpasswd',
  // Named as secrets.
  'secret.*', 'secrets.*', '*.secret', '*.secrets', '*-secret.y*ml', '*-secrets.y*ml',
];

export interface SecretPathHit {
  /** The pattern that matched, for the message. */
  readonly pattern: string;
}

const matcher = ignore({ ignorecase: true }).add([...DEFAULT_SECRET_PATTERNS]);

/**
 * A word every pattern above contains (a unit test holds the list to that): a path with none of
 * them cannot match, so most source paths skip the ~70 rules. Keeps a 10,000-file plan cheap.
 */
export const SECRET_PATH_WORDS: readonly string[] = [
  'env', 'pem', 'key', 'crt', 'cer', 'der', 'p8', 'p12', 'pfx', 'jks', 'kdbx', 'ppk', 'gpg', 'asc', 'id_', 'ssh', 'gnupg', 'aws',
  'credential', 'service-account', 'azure', 'gcloud', 'kube', 'docker', 'tfvars', 'tfstate', 'npmrc', 'yarnrc', 'pypirc', 'netrc',
  'pgpass', 'my.cnf', 'vault-token', 'htpasswd', 'secret',
];
const MAYBE_SECRET = new RegExp(SECRET_PATH_WORDS.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

/**
 * The secret pattern `path` (workspace-relative, forward slashes; or an absolute real path)
 * matches, or undefined. A folder's contents match when the folder does (`.ssh/`).
 */
export function secretPathHit(path: string): SecretPathHit | undefined {
  const clean = path.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (clean === '' || clean.split('/').includes('..') || !MAYBE_SECRET.test(clean)) return undefined;
  const result = matcher.test(clean);
  return result.ignored ? { pattern: result.rule?.pattern ?? clean } : undefined;
}

/** A folder the secret list covers as a whole (`.ssh/`, `.aws/` is not: only its credentials are). */
export function secretFolderHit(path: string): SecretPathHit | undefined {
  const clean = path.replace(/\\/g, '/').replace(/^\/+/, '').replace(/\/+$/, '');
  if (clean === '' || !MAYBE_SECRET.test(clean)) return undefined;
  const result = matcher.test(`${clean}/`);
  return result.ignored ? { pattern: result.rule?.pattern ?? clean } : undefined;
}

/** Version-control data, in any letter case (`.GIT/` on a case-insensitive file system is `.git/`). */
export function isVcsPath(path: string): boolean {
  return path.replace(/\\/g, '/').split('/').some((part) => {
    const lower = part.toLowerCase();
    return lower === '.git' || lower === '.hg' || lower === '.svn';
  });
}
