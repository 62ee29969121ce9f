/**
 * Which files a batch skips. One small function on purpose: the full context exclusion rules
 * (.gitignore, settings, secrets) are being built in src/core/context and can replace it.
 */

const SECRET_NAMES = [/^\.env(\..*)?$/i, /^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/i, /^\.npmrc$/i, /^\.netrc$/i, /^credentials(\.json)?$/i];
const SECRET_EXTENSIONS = /\.(pem|key|p12|pfx|jks|keystore|crt|cer|der|asc|gpg)$/i;
const BINARY_EXTENSIONS = /\.(png|jpe?g|gif|bmp|ico|webp|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|class|exe|dll|so|dylib|o|a|wasm|woff2?|ttf|otf|eot|mp3|mp4|mov|avi|wav|ogg|sqlite|db|bin|vsix|lock)$/i;
const SKIPPED_FOLDERS = /(^|\/)(\.git|node_modules|\.hg|\.svn)\//;

/** Why `path` (with its first bytes) is skipped, or undefined to include it. */
export function skipReason(path: string, head?: Uint8Array, maxBytes = 2 * 1024 * 1024, size = head?.length ?? 0): string | undefined {
  const normalized = path.replace(/\\/g, '/');
  const name = normalized.slice(normalized.lastIndexOf('/') + 1);
  if (SKIPPED_FOLDERS.test(normalized)) return 'in an ignored folder';
  if (SECRET_NAMES.some((re) => re.test(name)) || SECRET_EXTENSIONS.test(name)) return 'may hold secrets';
  if (BINARY_EXTENSIONS.test(name)) return 'binary';
  if (size > maxBytes) return 'too large';
  if (head !== undefined) {
    const limit = Math.min(head.length, 8000);
    for (let i = 0; i < limit; i++) if (head[i] === 0) return 'binary';
  }
  return undefined;
}
