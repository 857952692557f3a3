// npm run demo: the whole flow without a token or the network. Starts the GitHub API emulator on the
// hand-written organisation in fixtures/github, crawls it with the real CLI (npm registry and Maven
// repositories pointed at a closed local port, so nothing leaves this machine), and prints the summary.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startGithubEmulator } from '../test/servers/github-emulator.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'oss-inventory-demo-'));
const emulator = await startGithubEmulator({ corpus: path.join(repo, 'fixtures', 'github') });
try {
  const settings = path.join(work, 'settings.xml');
  writeFileSync(
    settings,
    '<settings><mirrors><mirror><id>none</id><url>http://127.0.0.1:9/</url><mirrorOf>*</mirrorOf></mirror></mirrors></settings>',
  );
  const out = path.join(work, 'report');
  const args = [
    path.join(repo, 'bin', 'oss-inventory.js'),
    'scan',
    '--github-org',
    'demo-org',
    '--github-url',
    emulator.url,
    '--registry',
    'http://127.0.0.1:9/',
    '--maven-settings',
    settings,
    '--cache-dir',
    path.join(work, 'cache'),
    '--out',
    out,
  ];
  console.log(`GitHub API emulator on ${emulator.url}, serving fixtures/github (organisation demo-org)`);
  console.log(`$ oss-inventory scan --github-org demo-org --github-url ${emulator.url} ...\n`);
  // Asynchronous, so that the emulator in this process keeps answering while the CLI runs.
  const child = spawn(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, GITHUB_TOKEN: '' },
  });
  const [status] = await once(child, 'exit');
  const inventory = JSON.parse(readFileSync(path.join(out, 'inventory.json'), 'utf8'));
  console.log('\nrepositories:');
  for (const subject of inventory.subjects) {
    const projects = inventory.projects.filter((p) => p.subject === subject.name).length;
    console.log(`  ${subject.name}  ${projects} project(s)  license ${subject.repository?.license ?? '-'}`);
  }
  console.log(
    `components: ${inventory.components.length}; requests served by the emulator: ${emulator.requests.length}`,
  );
  process.exitCode = status ?? 1;
} finally {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
}
