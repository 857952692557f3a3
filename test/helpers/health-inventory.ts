import type { Component, Health, HealthClass, Inventory, PlanB, PlanBOption } from '../../src/core/model.js';
import { exposureOf } from '../../src/core/exposure.js';
import { priorityOf } from '../../src/core/health.js';
import { sampleInventory } from './sample-inventory.js';

const ASSESSED_AT = '2024-05-01T08:30:00.000Z';
const SCORE: Record<HealthClass, number> = {
  EOL: 5,
  ABANDONED: 18,
  AT_RISK: 40,
  UNKNOWN: 50,
  MAINTAINED: 62,
  HEALTHY: 88,
};

/** Health as the pipeline writes it: the exposure from the usages, the priority = class weight x exposure. */
export function healthOf(component: Component, cls: HealthClass, reasons: [string, string][]): Health {
  const exposure = exposureOf(component.usedBy);
  return {
    class: cls,
    reasons: reasons.map(([code, message]) => ({ code, message })),
    score: SCORE[cls],
    priority: priorityOf(cls, exposure),
    exposure,
    assessedAt: ASSESSED_AT,
  };
}

const SURVIVE: PlanBOption[] = [
  {
    kind: 'survive',
    label: 'pin this version and mirror it in an internal registry',
    confidence: 'suggested',
    source: 'oss-inventory',
    effort: 'low',
  },
  {
    kind: 'survive',
    label: 'fork it internally and apply security fixes yourselves',
    confidence: 'suggested',
    source: 'oss-inventory',
    effort: 'high',
  },
];

/**
 * The sample inventory (sample-inventory.ts) with maintainer health and a plan B on every component, for
 * the reporters: four components need a plan B, by priority left-pad (EOL, 28), xlsx (ABANDONED, 21),
 * pako (EOL, 20) and express (AT_RISK, 14); left-pad has a curated platform feature, xlsx a curated
 * alternative whose target is flagged, then an inferred fork, pako an authoritative successor and express
 * only survival plans. The others: @babel/runtime and typescript HEALTHY, jszip MAINTAINED (with a
 * catalog option all the same), fsevents UNKNOWN.
 */
export function healthInventory(): Inventory {
  const inventory = sampleInventory();
  const set = (name: string, cls: HealthClass, reasons: [string, string][], planB: PlanB) => {
    const component = inventory.components.find((c) => c.name === name)!;
    component.health = healthOf(component, cls, reasons);
    component.planB = planB;
  };
  const notNeeded: PlanB = { status: 'not-needed', options: [] };
  set(
    'runtime',
    'HEALTHY',
    [
      ['recent-release', 'last release 2024-04-20, 0 months ago'],
      ['regular-commits', '41 commits in 90 days'],
      ['several-committers', '12 committers in 12 months'],
    ],
    notNeeded,
  );
  set(
    'express',
    'AT_RISK',
    [
      ['stale-release', 'last release 2022-10-08, 18 months ago (more than 12)'],
      ['single-committer', 'one committer in 12 months'],
    ],
    { status: 'none-found', options: SURVIVE },
  );
  set('fsevents', 'UNKNOWN', [['no-dates', 'no release date and no commit date from any source']], notNeeded);
  set('jszip', 'MAINTAINED', [['recent-release', 'last release 2023-08-02, 8 months ago']], {
    status: 'options',
    options: [
      {
        kind: 'alternative',
        target: 'pkg:npm/fflate',
        confidence: 'curated',
        source: 'oss-inventory catalog',
        evidence: 'https://github.com/101arrowz/fflate#readme',
        targetLicense: 'MIT',
      },
    ],
  });
  set(
    'left-pad',
    'EOL',
    [['deprecated', 'left-pad@1.3.0 is deprecated: "use String.prototype.padStart()"']],
    {
      status: 'options',
      options: [
        {
          kind: 'native',
          label: 'String.prototype.padStart',
          confidence: 'curated',
          source: 'module-replacements (native)',
          evidence:
            'https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/String/padStart',
          effort: 'low',
        },
        ...SURVIVE,
      ],
    },
  );
  set('pako', 'EOL', [['latest-deprecated', 'the latest version, 2.1.0, is deprecated: "moved to fflate"']], {
    status: 'options',
    options: [
      {
        kind: 'successor',
        target: 'pkg:npm/fflate',
        confidence: 'authoritative',
        source: 'npm deprecation',
        evidence: 'moved to fflate',
        targetLicense: 'MIT',
      },
      ...SURVIVE,
    ],
  });
  set(
    'typescript',
    'HEALTHY',
    [
      ['recent-release', 'last release 2024-04-24, 0 months ago'],
      ['regular-commits', '220 commits in 90 days'],
      ['several-committers', '35 committers in 12 months'],
    ],
    notNeeded,
  );
  set(
    'xlsx',
    'ABANDONED',
    [
      ['no-release', 'last release 2022-03-24, 25 months ago (more than 24)'],
      ['no-commit', 'last commit 2022-08-01, 21 months ago (more than 12)'],
    ],
    {
      status: 'options',
      options: [
        {
          kind: 'alternative',
          target: 'pkg:npm/exceljs',
          confidence: 'curated',
          source: 'oss-inventory catalog',
          evidence: 'https://github.com/exceljs/exceljs',
          effort: 'medium',
          targetLicense: 'MIT',
          flags: ['target-unhealthy'],
        },
        {
          kind: 'maintained-fork',
          label: 'https://github.com/someone/sheetjs',
          confidence: 'inferred',
          source: 'GitHub forks',
          evidence: '38 commits in 12 months, last release 2024-02-01',
        },
        ...SURVIVE,
      ],
    },
  );
  return inventory;
}
