import { describe, expect, it } from 'vitest';
import type { Component } from '../src/core/model.js';
import { evaluatePolicy, separatePreexisting } from '../src/core/policy.js';
import type { CheckResult, Policy } from '../src/core/policy-model.js';
import { CATEGORIES, component, inventoryOf, policyOf, project, usage } from './helpers/policy-inventory.js';

const NOW = new Date('2026-01-15T10:00:00Z');

function check(policy: Policy, components: Component[], now = NOW, projects = [project('acme:.', 'acme')]) {
  return evaluatePolicy(inventoryOf(components, projects), policy, { now, categories: CATEGORIES });
}

/** `name severity verdict: rule` per violation, the part most tests state. */
function summary(result: CheckResult): string[] {
  return result.violations.map((v) => `${v.component.name} ${v.severity} ${v.verdict}: ${v.rule}`);
}

/** The verdict of each expression alone (`allowed` when it gives no violation). */
function verdicts(policy: Policy, expressions: string[]): Record<string, string> {
  const components = expressions.map((e, i) => component(`pkg:npm/c${i}@1.0.0`, e));
  const result = check(policy, components);
  const out: Record<string, string> = {};
  expressions.forEach((e, i) => {
    const v = result.violations.find((x) => x.component.name === `c${i}`);
    out[e] = v ? `${v.verdict} [${v.offending.join(', ')}]` : 'allowed';
  });
  return out;
}

const OSPO = policyOf(`licenses:
  allow: [permissive, public-domain, LGPL-2.1-only, MPL-2.0]
  deny: [network-copyleft, strong-copyleft]
  review: [weak-copyleft]
  unknown: deny
`);

describe('evaluatePolicy: expressions against the OSPO policy', () => {
  it('judges ids, categories, OR, AND, WITH and unknown parts', () => {
    expect(
      verdicts(OSPO, [
        'MIT',
        'CC0-1.0',
        'LGPL-2.1-only',
        'LGPL-3.0-only',
        'MPL-2.0',
        'EPL-2.0',
        'GPL-3.0-only',
        'AGPL-3.0-only',
        'MIT OR GPL-3.0-only',
        'MIT AND GPL-3.0-only',
        'GPL-3.0-only OR EPL-2.0',
        'GPL-3.0-only OR AGPL-3.0-only',
        '(MIT OR GPL-3.0-only) AND EPL-2.0',
        'Apache-2.0 OR LicenseRef-unmapped-x',
        'Apache-2.0 AND LicenseRef-unmapped-x',
        'LicenseRef-unmapped-x',
        'LicenseRef-UNLICENSED',
        'Zlib',
      ]),
    ).toEqual({
      MIT: 'allowed',
      'CC0-1.0': 'allowed',
      'LGPL-2.1-only': 'allowed',
      'LGPL-3.0-only': 'review [LGPL-3.0-only]',
      'MPL-2.0': 'allowed',
      'EPL-2.0': 'review [EPL-2.0]',
      'GPL-3.0-only': 'denied [GPL-3.0-only]',
      'AGPL-3.0-only': 'denied [AGPL-3.0-only]',
      'MIT OR GPL-3.0-only': 'allowed',
      'MIT AND GPL-3.0-only': 'denied [GPL-3.0-only]',
      'GPL-3.0-only OR EPL-2.0': 'review [GPL-3.0-only, EPL-2.0]',
      'GPL-3.0-only OR AGPL-3.0-only': 'denied [GPL-3.0-only, AGPL-3.0-only]',
      '(MIT OR GPL-3.0-only) AND EPL-2.0': 'review [EPL-2.0]',
      'Apache-2.0 OR LicenseRef-unmapped-x': 'allowed',
      'Apache-2.0 AND LicenseRef-unmapped-x': 'unknown [LicenseRef-unmapped-x]',
      'LicenseRef-unmapped-x': 'unknown [LicenseRef-unmapped-x]',
      'LicenseRef-UNLICENSED': 'not-allowed [LicenseRef-UNLICENSED]',
      Zlib: 'unknown [Zlib]',
    });
  });

  it('says which rule each violation breaks, where it is written, with errors first then by purl', () => {
    const result = check(OSPO, [
      component('pkg:npm/review-me@1.0.0', 'EPL-2.0'),
      component('pkg:npm/gpl@2.0.0', 'GPL-3.0-only'),
      component('pkg:npm/closed@1.0.0', 'LicenseRef-UNLICENSED'),
      component('pkg:npm/mystery@1.0.0', 'LicenseRef-unmapped-lutece-license'),
      component('pkg:npm/nothing@1.0.0', undefined),
    ]);
    expect(summary(result)).toEqual([
      'closed error not-allowed: LicenseRef-UNLICENSED is not allowed by policy.yaml:2: licenses.allow lists neither it nor its category proprietary',
      'gpl error denied: GPL-3.0-only is denied by policy.yaml:3 (licenses.deny: strong-copyleft)',
      'mystery error unknown: LicenseRef-unmapped-lutece-license is an unknown license, and policy.yaml:5 (licenses.unknown: deny) refuses unknown licenses',
      'nothing error unknown: no license is declared, and policy.yaml:5 (licenses.unknown: deny) refuses unknown licenses',
      'review-me warning review: EPL-2.0 needs a review: policy.yaml:4 (licenses.review: weak-copyleft)',
    ]);
    expect(result.violations.map((v) => v.ruleAt?.line)).toEqual([2, 3, 5, 5, 4]);
    expect(result.components).toBe(5);
    expect(result.policy).toBe('policy.yaml');
    expect(result.checkedAt).toBe('2026-01-15T10:00:00.000Z');
  });

  it('builds the whole violation: component, license evidence, usages with declaredAt, and a waiver snippet', () => {
    const gpl = component('pkg:npm/%40acme/gpl-lib@1.4.2', 'GPL-3.0-only', [
      usage('acme:packages/web', ['runtime'], {
        manifest: 'package-lock.json',
        direct: false,
        path: ['@acme/web@2.3.0', 'helper@1.0.0', '@acme/gpl-lib@1.4.2'],
        declaredAt: { file: 'packages/web/package.json', line: 12 },
      }),
    ]);
    const result = check(OSPO, [gpl], NOW, [project('acme:packages/web', 'acme')]);
    expect(result.violations).toEqual([
      {
        severity: 'error',
        verdict: 'denied',
        rule: 'GPL-3.0-only is denied by policy.yaml:3 (licenses.deny: strong-copyleft)',
        ruleAt: { file: 'policy.yaml', line: 3 },
        component: {
          purl: 'pkg:npm/%40acme/gpl-lib@1.4.2',
          name: '@acme/gpl-lib',
          version: '1.4.2',
          ecosystem: 'npm',
        },
        license: {
          expression: 'GPL-3.0-only',
          declared: ['GPL-3.0-only'],
          source: 'registry',
          evidence: 'https://registry.npmjs.org/x',
        },
        offending: ['GPL-3.0-only'],
        usages: [
          {
            project: 'acme:packages/web',
            subject: 'acme',
            manifest: 'package-lock.json',
            scopes: ['runtime'],
            direct: false,
            path: ['@acme/web@2.3.0', 'helper@1.0.0', '@acme/gpl-lib@1.4.2'],
            declaredAt: { file: 'packages/web/package.json', line: 12 },
          },
        ],
        waiverSnippet: [
          '  - purl: "pkg:npm/%40acme/gpl-lib"',
          '    versions: "1.4.2"',
          '    license: "GPL-3.0-only"',
          '    reason: "<why this is acceptable>"',
          '    owner: "<your team or e-mail>"',
          '    expires: 2026-04-15',
          '',
        ].join('\n'),
      },
    ]);
  });

  it('names a Maven component groupId:artifactId and drops qualifiers from its snippet purl', () => {
    const jar = component('pkg:maven/org.example/gpl-lib@2.0?type=test-jar', 'GPL-2.0-only');
    const [violation] = check(OSPO, [jar]).violations;
    expect(violation?.component.name).toBe('org.example:gpl-lib');
    expect(violation?.waiverSnippet.split('\n').slice(0, 2)).toEqual([
      '  - purl: "pkg:maven/org.example/gpl-lib"',
      '    versions: "2.0"',
    ]);
  });
});

describe('evaluatePolicy: precedence', () => {
  it('deny beats allow for the same id, and review beats allow', () => {
    const policy = policyOf('licenses:\n  allow: [MIT, MPL-2.0]\n  deny: [MIT]\n  review: [MPL-2.0]\n');
    expect(verdicts(policy, ['MIT', 'MPL-2.0'])).toEqual({
      MIT: 'denied [MIT]',
      'MPL-2.0': 'review [MPL-2.0]',
    });
  });

  it('an exact id beats a category, both ways', () => {
    const policy = policyOf(
      'licenses:\n  allow: [permissive, LGPL-2.1-only]\n  deny: [weak-copyleft, Apache-2.0]\n',
    );
    expect(verdicts(policy, ['LGPL-2.1-only', 'LGPL-3.0-only', 'Apache-2.0', 'MIT'])).toEqual({
      'LGPL-2.1-only': 'allowed',
      'LGPL-3.0-only': 'denied [LGPL-3.0-only]',
      'Apache-2.0': 'denied [Apache-2.0]',
      MIT: 'allowed',
    });
  });

  it('WITH: a rule naming id WITH exception first, then the rule of the id, then its category', () => {
    const policy = policyOf(
      'licenses:\n  allow: [permissive, "GPL-2.0-only WITH Classpath-exception-2.0"]\n  deny: [strong-copyleft, LGPL-2.1-only]\n',
    );
    expect(
      verdicts(policy, [
        'GPL-2.0-only WITH Classpath-exception-2.0',
        'GPL-2.0-only',
        'GPL-3.0-only WITH Classpath-exception-2.0',
        'LGPL-2.1-only WITH Classpath-exception-2.0',
        'CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0',
      ]),
    ).toEqual({
      'GPL-2.0-only WITH Classpath-exception-2.0': 'allowed',
      'GPL-2.0-only': 'denied [GPL-2.0-only]',
      'GPL-3.0-only WITH Classpath-exception-2.0': 'denied [GPL-3.0-only WITH Classpath-exception-2.0]',
      'LGPL-2.1-only WITH Classpath-exception-2.0': 'denied [LGPL-2.1-only WITH Classpath-exception-2.0]',
      'CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0': 'allowed',
    });
  });

  it('or-later and +: their own rule first, else the rule of the base version', () => {
    const policy = policyOf(
      'licenses:\n  allow: [permissive, LGPL-2.1-only, GPL-2.0-only]\n  deny: [GPL-3.0-or-later]\n',
    );
    expect(
      verdicts(policy, [
        'LGPL-2.1-or-later',
        'GPL-2.0-or-later',
        'GPL-2.0+',
        'GPL-3.0-or-later',
        'Apache-2.0+',
        'MPL-2.0+',
      ]),
    ).toEqual({
      'LGPL-2.1-or-later': 'allowed',
      'GPL-2.0-or-later': 'allowed',
      'GPL-2.0+': 'allowed',
      'GPL-3.0-or-later': 'denied [GPL-3.0-or-later]',
      'Apache-2.0+': 'allowed',
      'MPL-2.0+': 'not-allowed [MPL-2.0+]',
    });
  });

  it('matches ids without regard to case and deprecated ids by their replacement', () => {
    const policy = policyOf('licenses:\n  allow: [mit, GPL-2.0, LicenseRef-Acme-Internal]\n');
    expect(verdicts(policy, ['MIT', 'GPL-2.0-only', 'LicenseRef-acme-internal', 'ISC'])).toEqual({
      MIT: 'allowed',
      'GPL-2.0-only': 'allowed',
      'LicenseRef-acme-internal': 'allowed',
      ISC: 'not-allowed [ISC]',
    });
  });

  it('without allow, only deny and review count, and unknown licenses default to review', () => {
    const policy = policyOf('licenses:\n  deny: [network-copyleft]\n');
    expect(verdicts(policy, ['MIT', 'GPL-3.0-only', 'AGPL-3.0-only', 'LicenseRef-unmapped-x'])).toEqual({
      MIT: 'allowed',
      'GPL-3.0-only': 'allowed',
      'AGPL-3.0-only': 'denied [AGPL-3.0-only]',
      'LicenseRef-unmapped-x': 'unknown [LicenseRef-unmapped-x]',
    });
    const result = check(policy, [component('pkg:npm/x@1.0.0', 'LicenseRef-unmapped-x')]);
    expect(summary(result)).toEqual([
      'x warning unknown: LicenseRef-unmapped-x is an unknown license, and policy.yaml asks for a review of unknown licenses by default when licenses.allow is not set (write licenses.unknown: deny, review or allow to choose)',
    ]);
  });

  it('unknown: allow lets unknown licenses pass; an exact rule for a LicenseRef still applies', () => {
    const policy = policyOf(
      'licenses:\n  allow: [permissive]\n  deny: [LicenseRef-unmapped-proprietary-eula]\n  unknown: allow\n',
    );
    expect(verdicts(policy, ['LicenseRef-unmapped-x', 'LicenseRef-unmapped-proprietary-eula'])).toEqual({
      'LicenseRef-unmapped-x': 'allowed',
      'LicenseRef-unmapped-proprietary-eula': 'denied [LicenseRef-unmapped-proprietary-eula]',
    });
    expect(check(policy, [component('pkg:npm/x@1.0.0', undefined)]).violations).toEqual([]);
  });
});

describe('evaluatePolicy: scopes', () => {
  const policy = policyOf(`licenses:
  allow: [permissive]
  deny: [strong-copyleft]
  unknown: review
scopes:
  dev: { allow: [permissive, strong-copyleft], deny: [network-copyleft] }
  provided: ignore
`);

  it('a scope list replaces the top-level lists for usages in that scope only', () => {
    const result = check(policy, [
      component('pkg:npm/dev-gpl@1.0.0', 'GPL-3.0-only', [usage('acme:.', ['dev'])]),
      component('pkg:npm/dev-agpl@1.0.0', 'AGPL-3.0-only', [usage('acme:.', ['dev'])]),
      component('pkg:npm/dev-mpl@1.0.0', 'MPL-2.0', [usage('acme:.', ['dev'])]),
      component('pkg:npm/run-gpl@1.0.0', 'GPL-3.0-only', [usage('acme:.', ['runtime'])]),
    ]);
    expect(summary(result)).toEqual([
      'dev-agpl error denied: AGPL-3.0-only is denied by policy.yaml:6 (scopes.dev.deny: network-copyleft)',
      'dev-mpl error not-allowed: MPL-2.0 is not allowed by policy.yaml:6: scopes.dev.allow lists neither it nor its category weak-copyleft',
      'run-gpl error denied: GPL-3.0-only is denied by policy.yaml:3 (licenses.deny: strong-copyleft)',
    ]);
  });

  it('judges each usage: only the usages at fault are listed, the strictest verdict wins', () => {
    const result = check(
      policy,
      [
        component('pkg:npm/gpl@1.0.0', 'GPL-3.0-only', [
          usage('acme:.', ['dev']),
          usage('acme:tools', ['runtime'], { manifest: 'tools/package-lock.json' }),
          usage('acme:web', ['runtime', 'dev'], { manifest: 'web/package-lock.json' }),
        ]),
      ],
      NOW,
      [project('acme:.', 'acme'), project('acme:tools', 'acme'), project('acme:web', 'acme')],
    );
    expect(summary(result)).toEqual([
      'gpl error denied: GPL-3.0-only is denied by policy.yaml:3 (licenses.deny: strong-copyleft)',
    ]);
    expect(
      result.violations[0]?.usages.map((u) => `${u.project} ${u.manifest} ${u.scopes.join('+')}`),
    ).toEqual(['acme:tools tools/package-lock.json runtime', 'acme:web web/package-lock.json runtime+dev']);
  });

  it('ignore skips the scope: a component only used there is not even counted', () => {
    const result = check(policy, [
      component('pkg:npm/servlet@1.0.0', 'GPL-3.0-only', [usage('acme:.', ['provided'])]),
      component('pkg:npm/both@1.0.0', 'GPL-3.0-only', [usage('acme:.', ['provided', 'runtime'])]),
    ]);
    expect(result.components).toBe(1);
    expect(summary(result)).toEqual([
      'both error denied: GPL-3.0-only is denied by policy.yaml:3 (licenses.deny: strong-copyleft)',
    ]);
    expect(result.violations[0]?.usages.map((u) => u.scopes)).toEqual([['runtime']]);
  });

  it('a scope inherits a written top-level unknown rule, and defaults on its own otherwise', () => {
    const unknown = component('pkg:npm/x@1.0.0', 'LicenseRef-unmapped-x', [usage('acme:.', ['dev'])]);
    expect(summary(check(policy, [unknown]))).toEqual([
      'x warning unknown: LicenseRef-unmapped-x is an unknown license, and policy.yaml:4 (licenses.unknown: review) asks for a review of unknown licenses',
    ]);
    const defaults = policyOf(
      'licenses:\n  deny: [strong-copyleft]\nscopes:\n  dev: { allow: [permissive] }\n',
    );
    expect(summary(check(defaults, [unknown]))).toEqual([
      'x error unknown: LicenseRef-unmapped-x is an unknown license, and policy.yaml refuses unknown licenses by default when scopes.dev.allow is set (write scopes.dev.unknown: deny, review or allow to choose)',
    ]);
  });
});

describe('evaluatePolicy: waivers', () => {
  const waiverPolicy = (extra: string) =>
    policyOf(
      `licenses:\n  deny: [strong-copyleft]\nwaivers:\n  - purl: pkg:npm/gpl-thing\n    reason: used only by the build\n    owner: ospo@paris.fr\n    expires: 2026-03-31\n${extra}`,
      new Date('2026-01-01T00:00:00Z'),
    );
  const gpl = (version = '1.2.3', license = 'GPL-3.0-only', usedBy?: Parameters<typeof component>[2]) =>
    component(`pkg:npm/gpl-thing@${version}`, license, usedBy);

  it('counts until the end of the expiry day (UTC), then stops and says so', () => {
    const policy = waiverPolicy('');
    const dayBefore = check(policy, [gpl()], new Date('2026-03-30T12:00:00Z'));
    expect(dayBefore.violations).toEqual([]);
    expect(dayBefore.waived).toEqual([
      {
        purl: 'pkg:npm/gpl-thing@1.2.3',
        license: 'GPL-3.0-only',
        waiver: { file: 'policy.yaml', line: 4 },
        expires: '2026-03-31',
        owner: 'ospo@paris.fr',
        reason: 'used only by the build',
      },
    ]);
    expect(check(policy, [gpl()], new Date('2026-03-31T23:59:59Z')).violations).toEqual([]);
    // 23:30 in UTC-2 is already the next day in UTC.
    const dayAfter = check(policy, [gpl()], new Date('2026-03-31T23:30:00-02:00'));
    expect(dayAfter.waived).toEqual([]);
    expect(summary(dayAfter)).toEqual([
      'gpl-thing error denied: GPL-3.0-only is denied by policy.yaml:2 (licenses.deny: strong-copyleft); the waiver at policy.yaml:4 (owner ospo@paris.fr) expired on 2026-03-31 and no longer counts',
    ]);
    expect(dayAfter.violations[0]?.expiredWaiver).toEqual({
      expires: '2026-03-31',
      owner: 'ospo@paris.fr',
      at: { file: 'policy.yaml', line: 4 },
    });
  });

  it('matches npm version ranges', () => {
    const policy = waiverPolicy('    versions: "^1.2.0"\n');
    const result = check(policy, [
      gpl('1.2.3'),
      gpl('1.9.0'),
      gpl('2.0.0'),
      gpl('1.1.9'),
      gpl('1.3.0-beta.1'),
    ]);
    expect(result.waived.map((w) => w.purl)).toEqual(['pkg:npm/gpl-thing@1.2.3', 'pkg:npm/gpl-thing@1.9.0']);
    expect(result.violations.map((v) => v.component.version)).toEqual(['1.1.9', '1.3.0-beta.1', '2.0.0']);
  });

  it('matches Maven ranges and comparators with Maven ordering', () => {
    const policy = policyOf(`licenses:
  deny: [strong-copyleft]
waivers:
  - purl: pkg:maven/org.example/old-lib
    versions: "[1.0,2.0)"
    reason: replaced by new-lib
    owner: team-platform
    expires: 2026-12-31
  - purl: pkg:maven/org.example/other-lib
    versions: ">=7 <8"
    reason: replaced by new-lib
    owner: team-platform
    expires: 2026-12-31
`);
    const lib = (name: string, version: string) =>
      component(`pkg:maven/org.example/${name}@${version}`, 'GPL-2.0-only');
    const result = check(policy, [
      lib('old-lib', '1.0'),
      lib('old-lib', '1.9.9-SNAPSHOT'),
      lib('old-lib', '2.0'),
      lib('old-lib', '2.0-beta-1'),
      lib('other-lib', '7.4.1'),
      lib('other-lib', '8.0.0'),
    ]);
    expect(result.waived.map((w) => w.purl)).toEqual([
      'pkg:maven/org.example/old-lib@1.0',
      'pkg:maven/org.example/old-lib@1.9.9-SNAPSHOT',
      'pkg:maven/org.example/old-lib@2.0-beta-1',
      'pkg:maven/org.example/other-lib@7.4.1',
    ]);
    expect(result.violations.map((v) => v.component.purl)).toEqual([
      'pkg:maven/org.example/old-lib@2.0',
      'pkg:maven/org.example/other-lib@8.0.0',
    ]);
  });

  it('a waiver for one license stops covering when the component license changes', () => {
    const policy = waiverPolicy('    license: GPL-3.0-only\n');
    const result = check(policy, [
      gpl('1.2.3'),
      gpl('1.3.0', 'GPL-2.0-only'),
      gpl('1.4.0', 'MIT AND GPL-3.0-only'),
    ]);
    expect(result.waived.map((w) => w.purl)).toEqual(['pkg:npm/gpl-thing@1.2.3', 'pkg:npm/gpl-thing@1.4.0']);
    expect(summary(result)).toEqual([
      'gpl-thing error denied: GPL-2.0-only is denied by policy.yaml:2 (licenses.deny: strong-copyleft)',
    ]);
  });

  it('repository globs waive only the usages in matching subjects', () => {
    const policy = waiverPolicy('    repositories: ["lutece-platform/*"]\n');
    const projects = [
      project('lutece-platform/lutece-core:.', 'lutece-platform/lutece-core'),
      project('city-of-paris/portal:.', 'city-of-paris/portal'),
    ];
    const both = gpl('1.2.3', 'GPL-3.0-only', [
      usage('lutece-platform/lutece-core:.', ['runtime']),
      usage('city-of-paris/portal:.', ['runtime']),
    ]);
    const onlyLutece = component('pkg:npm/gpl-thing@1.0.0', 'GPL-3.0-only', [
      usage('lutece-platform/lutece-core:.', ['runtime']),
    ]);
    const result = check(policy, [both, onlyLutece], NOW, projects);
    expect(result.waived.map((w) => w.purl)).toEqual(['pkg:npm/gpl-thing@1.0.0', 'pkg:npm/gpl-thing@1.2.3']);
    expect(
      result.violations.map((v) => `${v.component.version} ${v.usages.map((u) => u.subject).join(' ')}`),
    ).toEqual(['1.2.3 city-of-paris/portal']);
  });

  it('a waiver of one package never covers another, and a versioned purl only its version', () => {
    const policy = policyOf(`licenses:
  deny: [strong-copyleft]
waivers:
  - purl: pkg:npm/gpl-thing@1.2.3
    reason: r
    owner: o
    expires: 2026-12-31
`);
    const result = check(policy, [
      gpl('1.2.3'),
      gpl('1.2.4'),
      component('pkg:npm/gpl-thing-2@1.2.3', 'GPL-3.0-only'),
    ]);
    expect(result.waived.map((w) => w.purl)).toEqual(['pkg:npm/gpl-thing@1.2.3']);
    expect(result.violations.map((v) => v.component.purl)).toEqual([
      'pkg:npm/gpl-thing-2@1.2.3',
      'pkg:npm/gpl-thing@1.2.4',
    ]);
  });

  it('a waiver turns a review into waived too', () => {
    const policy = policyOf(
      'licenses:\n  review: [weak-copyleft]\nwaivers:\n  - purl: pkg:npm/mpl\n    reason: r\n    owner: o\n    expires: 2026-12-31\n',
    );
    const result = check(policy, [component('pkg:npm/mpl@1.0.0', 'MPL-2.0')]);
    expect(result.violations).toEqual([]);
    expect(result.waived.map((w) => w.purl)).toEqual(['pkg:npm/mpl@1.0.0']);
  });
});

describe('evaluatePolicy: curations, subject filter, preexisting violations', () => {
  it('applies curations before evaluation', () => {
    const policy = policyOf(`licenses:
  allow: [permissive]
curations:
  - purl: pkg:maven/fr.paris.lutece/lutece-core
    license: BSD-3-Clause
    reason: LICENSE.txt of the repository is BSD-3-Clause
`);
    const core = component(
      'pkg:maven/fr.paris.lutece/lutece-core@7.0.8',
      'LicenseRef-unmapped-lutece-license',
    );
    expect(check(policy, [core]).violations).toEqual([]);
  });

  it('judges only the usages of the subjects the filter accepts', () => {
    const projects = [project('a/one:.', 'a/one'), project('b/two:.', 'b/two')];
    const gpl = component('pkg:npm/gpl@1.0.0', 'GPL-3.0-only', [
      usage('a/one:.', ['runtime']),
      usage('b/two:.', ['runtime']),
    ]);
    const onlyB = component('pkg:npm/only-b@1.0.0', 'GPL-3.0-only', [usage('b/two:.', ['runtime'])]);
    const result = evaluatePolicy(inventoryOf([gpl, onlyB], projects), OSPO, {
      now: NOW,
      categories: CATEGORIES,
      subjectFilter: (subject) => subject.startsWith('a/'),
    });
    expect(result.components).toBe(1);
    expect(
      result.violations.map((v) => `${v.component.name} ${v.usages.map((u) => u.subject).join(' ')}`),
    ).toEqual(['gpl a/one']);
  });

  it('separatePreexisting moves violations the base has too (any version) out of the failing ones', () => {
    const base = check(OSPO, [component('pkg:npm/old-gpl@1.0.0', 'GPL-3.0-only')]);
    const current = check(OSPO, [
      component('pkg:npm/old-gpl@1.1.0', 'GPL-3.0-only'),
      component('pkg:npm/new-gpl@1.0.0', 'GPL-3.0-only'),
      component('pkg:npm/old-gpl-relicensed@1.0.0', 'AGPL-3.0-only'),
    ]);
    const split = separatePreexisting(current, base);
    expect(split.violations.map((v) => v.component.purl)).toEqual([
      'pkg:npm/new-gpl@1.0.0',
      'pkg:npm/old-gpl-relicensed@1.0.0',
    ]);
    expect(split.preexisting.map((v) => v.component.purl)).toEqual(['pkg:npm/old-gpl@1.1.0']);
  });
});

describe('evaluatePolicy: speed', () => {
  it('evaluates 10,000 components with 3 usages each well under 200 ms', () => {
    const licenses = [
      'MIT',
      'Apache-2.0',
      'ISC',
      'GPL-3.0-only',
      'MIT OR GPL-3.0-only',
      'EPL-2.0',
      'LicenseRef-unmapped-x',
    ];
    const projects = [project('acme:a', 'acme'), project('acme:b', 'acme'), project('acme:c', 'acme')];
    const components = Array.from({ length: 10_000 }, (_, i) =>
      component(`pkg:npm/pkg-${i}@1.0.${i % 7}`, licenses[i % licenses.length], [
        usage('acme:a', ['runtime']),
        usage('acme:b', ['dev']),
        usage('acme:c', ['runtime', 'optional']),
      ]),
    );
    const policy = policyOf(`licenses:
  allow: [permissive, public-domain]
  deny: [strong-copyleft]
  review: [weak-copyleft]
scopes:
  dev: { allow: [permissive, weak-copyleft, strong-copyleft] }
waivers:
  - purl: pkg:npm/pkg-3
    reason: r
    owner: o
    expires: 2026-12-31
`);
    const inventory = inventoryOf(components, projects);
    const coldStart = performance.now();
    evaluatePolicy(inventory, policy, { now: NOW, categories: CATEGORIES });
    const cold = performance.now() - coldStart;
    const started = performance.now();
    const result = evaluatePolicy(inventory, policy, { now: NOW, categories: CATEGORIES });
    const elapsed = performance.now() - started;
    console.log(
      `evaluatePolicy: 10,000 components x 3 usages in ${elapsed.toFixed(1)} ms (first run ${cold.toFixed(1)} ms)`,
    );
    expect(result.components).toBe(10_000);
    // 1,428 or 1,429 of each license; pkg-3 (GPL-3.0-only) is waived.
    expect(result.violations.filter((v) => v.verdict === 'denied')).toHaveLength(1428);
    expect(result.violations.filter((v) => v.verdict === 'review')).toHaveLength(1428);
    expect(result.violations.filter((v) => v.verdict === 'unknown')).toHaveLength(1428);
    expect(result.waived).toHaveLength(1);
    expect(elapsed).toBeLessThan(400);
  });
});
