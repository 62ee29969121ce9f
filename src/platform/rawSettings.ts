import { CONFIG_KEYS } from '../core/config/config';

/** The part of vscode.WorkspaceConfiguration this module needs (kept structural so it tests under Node). */
export interface ConfigurationLike {
  get(key: string): unknown;
  inspect(key: string): { readonly defaultValue?: unknown; readonly globalValue?: unknown } | undefined;
}

/** Settings that can redirect traffic or credentials: only the user's own values count. */
const USER_ONLY: ReadonlySet<string> = new Set(CONFIG_KEYS.filter((key) => key.applicationScope).map((key) => key.key));
/** Settings a workspace may set only once it is trusted (cost, what is sent). */
const RESTRICTED: ReadonlySet<string> = new Set(CONFIG_KEYS.filter((key) => key.restricted).map((key) => key.key));

/**
 * Reads a raw setting. For the keys that can send the API key elsewhere, workspace and folder
 * values are ignored even if VS Code were to offer them: only the user's global value or the
 * default is read. The manifest marks the same keys `application`-scoped; this is the second lock.
 * The same holds for the restricted keys while the workspace is not trusted (the manifest's
 * `restrictedConfigurations` is the first lock).
 */
export function readRawSetting(configuration: ConfigurationLike, key: string, trusted: boolean): unknown {
  if (!USER_ONLY.has(key) && (trusted || !RESTRICTED.has(key))) return configuration.get(key);
  const inspected = configuration.inspect(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
