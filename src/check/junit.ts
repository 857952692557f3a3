import { create } from 'xmlbuilder2';
import type { Scope } from '../core/model.js';
import type { Violation } from '../core/policy-model.js';
import { componentIndex, isFailing, titleText, violationLines } from './describe.js';
import type { CheckReport } from './index.js';
import { clean } from './sanitize.js';

interface TestCase {
  purl: string;
  failures: Violation[];
  notes: string[];
}

/**
 * JUnit XML for CI test reports: one testsuite per project, one testcase per component that project
 * uses (in the scopes the policy does not ignore), a failure per violation that fails the check. A license
 * to review that does not fail, a violation already in the base inventory and a waiver are written to the
 * testcase's system-out.
 */
export function renderJUnit(report: CheckReport): string {
  const suites = testSuites(report);
  let tests = 0;
  let failures = 0;
  for (const cases of suites.values()) {
    tests += cases.size;
    for (const c of cases.values()) if (c.failures.length > 0) failures++;
  }
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', {
    name: 'oss-inventory check',
    tests: String(tests),
    failures: String(failures),
    errors: '0',
  });
  const components = componentIndex(report.inventory);
  for (const [project, cases] of suites) {
    const failing = [...cases.values()].filter((c) => c.failures.length > 0).length;
    const suite = root.ele('testsuite', {
      name: clean(project),
      tests: String(cases.size),
      failures: String(failing),
      errors: '0',
      skipped: '0',
    });
    suite.ele('properties').ele('property', { name: 'policy', value: clean(report.result.policy) });
    for (const c of [...cases.values()].sort((a, b) => compare(a.purl, b.purl))) {
      const testcase = suite.ele('testcase', { classname: clean(project), name: clean(c.purl) });
      for (const v of c.failures) {
        const lines = violationLines(report, v, components.get(v.component.purl));
        testcase.ele('failure', { message: titleText(v), type: v.verdict }).txt(lines.join('\n'));
      }
      if (c.notes.length > 0) testcase.ele('system-out').txt(c.notes.join('\n'));
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

/** Project id -> purl -> testcase, from every usage of every component, then the violations placed on them. */
function testSuites(report: CheckReport): Map<string, Map<string, TestCase>> {
  const ignored = ignoredScopes(report);
  const suites = new Map<string, Map<string, TestCase>>();
  for (const project of [...report.inventory.projects].sort((a, b) => compare(a.id, b.id))) {
    suites.set(project.id, new Map());
  }
  const testcase = (project: string, purl: string): TestCase => {
    let cases = suites.get(project);
    if (!cases) suites.set(project, (cases = new Map()));
    let c = cases.get(purl);
    if (!c) cases.set(purl, (c = { purl, failures: [], notes: [] }));
    return c;
  };
  for (const component of report.inventory.components) {
    for (const usage of component.usedBy) {
      if (usage.scopes.length > 0 && usage.scopes.every((s) => ignored.has(s))) continue;
      testcase(usage.project, component.purl);
    }
  }
  for (const v of report.result.violations) {
    const failing = isFailing(v, report.failOn);
    for (const project of projectsOf(v)) {
      const c = testcase(project, v.component.purl);
      if (failing) c.failures.push(v);
      else c.notes.push(`warning: ${titleText(v)}: ${clean(v.rule, 400)}`);
    }
  }
  for (const v of report.result.preexisting) {
    for (const project of projectsOf(v)) {
      testcase(project, v.component.purl).notes.push(
        `already in the base inventory, not failing: ${titleText(v)}: ${clean(v.rule, 400)}`,
      );
    }
  }
  const waivers = new Map<string, CheckReport['result']['waived']>();
  for (const w of report.result.waived) waivers.set(w.purl, [...(waivers.get(w.purl) ?? []), w]);
  for (const cases of suites.values()) {
    for (const c of cases.values()) {
      for (const w of waivers.get(c.purl) ?? []) {
        c.notes.push(
          `waived until ${clean(w.expires)} by ${clean(w.waiver.file)}:${w.waiver.line} (owner ${clean(w.owner, 80)})`,
        );
      }
    }
  }
  return suites;
}

function projectsOf(violation: Violation): string[] {
  return [...new Set(violation.usages.map((u) => u.project))];
}

function ignoredScopes(report: CheckReport): Set<Scope> {
  const scopes = report.policy.scopes ?? {};
  return new Set(
    (Object.keys(scopes) as Scope[]).filter((s) => Object.hasOwn(scopes, s) && scopes[s] === 'ignore'),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
