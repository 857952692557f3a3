import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript script without types
import { coverage, covered } from '../scripts/planb-coverage.js';

const option = (confidence: string) => ({ kind: 'successor', confidence, source: 's' });
const comp = (
  purl: string,
  cls: string,
  confidences: string[],
  extra: { priority?: number; projects?: number; group?: string } = {},
) => {
  const [, ecosystem, rest] = /^pkg:(\w+)\/(.*)$/.exec(purl)!;
  const [name, version] = rest!.split('@');
  return {
    purl,
    ecosystem,
    name,
    version,
    ...(extra.group ? { group: extra.group } : {}),
    health: {
      class: cls,
      reasons: [{ code: 'deprecated', message: 'm' }],
      priority: extra.priority ?? 1,
      exposure: { projects: extra.projects ?? 1 },
    },
    planB: { status: 'options', options: confidences.map(option) },
  };
};

describe('scripts/planb-coverage.js', () => {
  it('counts curated or better only', () => {
    expect(covered(comp('pkg:npm/a@1', 'EOL', ['authoritative']))).toBe(true);
    expect(covered(comp('pkg:npm/a@1', 'EOL', ['curated', 'suggested']))).toBe(true);
    expect(covered(comp('pkg:npm/a@1', 'EOL', ['inferred', 'suggested']))).toBe(false);
    expect(covered({ purl: 'pkg:npm/a@1' })).toBe(false);
  });

  it('counts per class and ecosystem, and sorts the uncovered packages by exposure, versions grouped', () => {
    const d = coverage([
      comp('pkg:npm/a@1', 'EOL', ['curated']),
      comp('pkg:npm/b@1', 'EOL', ['suggested'], { priority: 5, projects: 3 }),
      comp('pkg:npm/b@2', 'EOL', ['suggested'], { priority: 9, projects: 2 }),
      comp('pkg:maven/c@1', 'ABANDONED', ['inferred'], { group: 'org.x', priority: 7 }),
      comp('pkg:maven/d@1', 'AT_RISK', ['authoritative']),
      comp('pkg:npm/e@1', 'HEALTHY', []),
    ]);
    expect(d.byClass.get('EOL')).toEqual({ needing: 3, covered: 1, inferred: 0 });
    expect(d.byClass.get('ABANDONED')).toEqual({ needing: 1, covered: 0, inferred: 1 });
    expect(d.byEcosystem.get('maven').get('AT_RISK')).toEqual({ needing: 1, covered: 1, inferred: 0 });
    expect(d.byEcosystem.has('npm')).toBe(true);
    expect(
      d.uncovered.map((e: { package: string; versions: string[]; priority: number; projects: number }) => [
        e.package,
        e.versions,
        e.priority,
        e.projects,
      ]),
    ).toEqual([
      ['b', ['1', '2'], 9, 3],
      ['org.x:c', ['1'], 7, 1],
    ]);
  });
});
