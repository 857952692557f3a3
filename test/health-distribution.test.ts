import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script without types
import { distribution, generalise } from '../scripts/health-distribution.js';

const unknown = (registryReason: string) => ({
  purl: `pkg:npm/x@${registryReason.length}`,
  ecosystem: 'npm',
  health: {
    class: 'UNKNOWN',
    reasons: [
      { code: 'no-dates', message: 'no release or commit date' },
      { code: 'registry-facts-missing', message: 'm', values: { reason: registryReason } },
      { code: 'source-repository-unknown', message: 'no source repository is known for it' },
    ],
  },
});

describe('scripts/health-distribution.js', () => {
  it('generalises what is particular to one package', () => {
    expect(generalise('cannot GET https://registry.npmjs.org/left-pad: offline, and no cached copy')).toBe(
      'cannot GET <url>: offline, and no cached copy',
    );
    expect(generalise('GitHub has no repository acme/widget (renamed, deleted or private)')).toBe(
      'GitHub has no repository <owner/name> (renamed, deleted or private)',
    );
  });

  it('counts classes overall and per ecosystem, and groups the UNKNOWN by why', () => {
    const d = distribution([
      unknown('cannot GET https://registry.npmjs.org/a: offline, and no cached copy'),
      unknown('cannot GET https://registry.npmjs.org/bb: offline, and no cached copy'),
      {
        purl: 'pkg:maven/g/a@1',
        ecosystem: 'maven',
        sourceRepository: { url: 'u', host: 'github.com', confidence: 'high', from: 'pom scm/url (g:a:1)' },
        repositorySignals: {
          status: 'missing',
          reason: 'no GitHub token (GitHub GraphQL needs one)',
          readAt: 't',
        },
        health: { class: 'MAINTAINED', reasons: [] },
      },
      { purl: 'pkg:npm/old@1', ecosystem: 'npm' },
    ]);
    expect(Object.fromEntries(d.classes)).toMatchObject({ UNKNOWN: 2, MAINTAINED: 1, HEALTHY: 0 });
    expect(Object.fromEntries(d.perEcosystem.get('npm'))).toMatchObject({ UNKNOWN: 2, MAINTAINED: 0 });
    expect([...d.unknownReasons]).toEqual([
      [
        'registry-facts-missing: cannot GET <url>: offline, and no cached copy + source-repository-unknown: no source repository is known for it',
        2,
      ],
    ]);
    expect(d.unassessed).toEqual(['pkg:npm/old@1']);
    expect(Object.fromEntries(d.sources.from)).toEqual({ 'pom scm/url': 1 });
    expect([...d.signals.missing]).toEqual([['no GitHub token (GitHub GraphQL needs one)', 1]]);
  });
});
