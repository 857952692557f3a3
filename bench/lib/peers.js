import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The peer tools, by the package that ships them and the bin we run. */
export const PEER_PACKAGES = [
  { id: 'cyclonedx-npm', pkg: '@cyclonedx/cyclonedx-npm', bin: 'cyclonedx-npm' },
  { id: 'cdxgen', pkg: '@cyclonedx/cdxgen', bin: 'cdxgen' },
];

const STAMP = '.bench-peers-lock.sha256';
// Optional dependencies are the peers' native plugins for other ecosystems (and an XML validator);
// the npm lockfile path of either tool needs none of them. No install scripts run.
const INSTALL_FLAGS = ['--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund'];

/**
 * Installs bench/peers/package-lock.json into bench/peers/node_modules on first use (and again when
 * the lock changes), then resolves `{ tools: {id: {version, script}}, note }` or `{ error }`.
 */
export async function ensurePeers(peersDir, log) {
  const lockFile = path.join(peersDir, 'package-lock.json');
  const lockHash = sha256(readFileSync(lockFile));
  const stamp = path.join(peersDir, 'node_modules', STAMP);
  let note = '';
  if (!(existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockHash && resolveTools(peersDir))) {
    log(
      `installing the peer tools into ${path.relative(process.cwd(), peersDir) || '.'}/node_modules (npm ci)`,
    );
    const ci = await npm(['ci', ...INSTALL_FLAGS], peersDir);
    if (!ci.ok && isPlatformGap(ci.output)) {
      // npm ci refuses a lock that lacks platform packages of other OSes/CPUs when the registry it
      // reaches does not serve them; `npm install --no-save` installs the same locked versions.
      note =
        'npm ci refused the lock (platform-specific optional packages missing from the registry); ' +
        'installed the same locked versions with npm install --no-save';
      log(`${note}`);
      const install = await npm(['install', '--no-save', ...INSTALL_FLAGS], peersDir);
      if (!install.ok) return { error: `npm install failed: ${lastLine(install.output)}` };
      if (sha256(readFileSync(lockFile)) !== lockHash)
        return { error: 'npm install changed package-lock.json' };
    } else if (!ci.ok) {
      return { error: `npm ci failed: ${lastLine(ci.output)}` };
    }
    writeFileSync(stamp, `${lockHash}\n`);
  }
  const tools = resolveTools(peersDir);
  return tools
    ? { tools, note }
    : { error: 'peer packages are missing from bench/peers/node_modules after install' };
}

function resolveTools(peersDir) {
  const tools = {};
  for (const peer of PEER_PACKAGES) {
    const pkgDir = path.join(peersDir, 'node_modules', ...peer.pkg.split('/'));
    const manifestFile = path.join(pkgDir, 'package.json');
    if (!existsSync(manifestFile)) return null;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[peer.bin];
    if (!bin || !existsSync(path.join(pkgDir, bin))) return null;
    tools[peer.id] = { version: manifest.version, script: path.join(pkgDir, bin) };
  }
  return tools;
}

function isPlatformGap(output) {
  return /Missing: \S+@ from lock file/.test(output);
}

function npm(args, cwd) {
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (error) => resolve({ ok: false, output: `could not run npm: ${error.message}` }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

function lastLine(text) {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/A complete log of this run/.test(l));
  return lines[lines.length - 1] ?? '(no output)';
}

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}
