/**
 * `${...}` interpolation as Maven 3's model interpolator does it: the first `}` closes an expression, values
 * are themselves interpolated, and what cannot be resolved is left exactly as written. Value sources, in
 * Maven's order: `project.*`/`pom.*` (the model), user properties (-D), the model's properties, system
 * properties (`java.version`, `env.X`), `${X}` as an environment variable, then the deprecated unprefixed
 * model fields (`${version}`, `${parent.version}`).
 *
 * Hostile input is bounded: each expression is resolved once (memoized, so `a=${b}${b}`, `b=${c}${c}`...
 * costs linear work), nesting is capped at MAX_INTERPOLATION_DEPTH and every value at
 * MAX_INTERPOLATED_LENGTH characters; a cycle, a chain too deep or a value too long leaves the field as
 * written and becomes one problem.
 */

export const MAX_INTERPOLATION_DEPTH = 64;
export const MAX_INTERPOLATED_LENGTH = 32 * 1024;

export interface InterpolationSources {
  /** A model field by its path without prefix (`version`, `parent.groupId`...), raw; undefined when unknown. */
  project(field: string): string | undefined;
  userProperties: ReadonlyMap<string, string>;
  modelProperties: ReadonlyMap<string, string>;
  /** `java.version`, `env.X`... */
  systemProperties: ReadonlyMap<string, string>;
}

/** Where a value was declared, for problems. */
export interface ValueSite {
  file: string;
  line: number;
}

export type InterpolationFailureKind = 'cycle' | 'too-deep' | 'too-long';

export interface InterpolationFailure {
  kind: InterpolationFailureKind;
  /** The expression whose resolution failed, e.g. `${a}`. */
  expression: string;
  /** For a cycle: the expressions involved, in order. */
  chain: string[];
  site: ValueSite;
  /** The value being interpolated when the failure was met (at most 100 characters). */
  value: string;
}

type Failure = Omit<InterpolationFailure, 'site' | 'value'>;

/** A resolved expression keeps the undefined expressions met inside it, so a memoized answer still reports them. */
type Resolution =
  | { kind: 'value'; value: string; undefinedInside: readonly string[] }
  | { kind: 'undefined' }
  | { kind: 'failure'; failure: Failure };

type Expansion = { ok: true; value: string } | { ok: false; failure: Failure };

const PROJECT_PREFIXES = ['project.', 'pom.'];

/**
 * Expressions Maven defines but that cannot be known without a checkout and a build (the project's folder,
 * the build directories, the build time): left as written and not reported as undefined.
 */
const UNKNOWABLE = /^(?:(?:project|pom)\.)?(?:basedir|baseUri|build\.|reporting\.)|^maven\.build\.timestamp$/;

export function isUnknowableExpression(expression: string): boolean {
  return UNKNOWABLE.test(expression);
}

export class Interpolator {
  private readonly memo = new Map<string, Resolution>();
  /** Undefined expressions (as written, e.g. `${foo}`) with the first place each was met. */
  readonly undefinedExpressions = new Map<string, ValueSite>();
  readonly failures: InterpolationFailure[] = [];
  private readonly failed = new Set<string>();

  constructor(private readonly sources: InterpolationSources) {}

  /**
   * The value with every resolvable expression replaced. Unresolvable ones stay as written and, when
   * `report` is set, are remembered in `undefinedExpressions`; on a cycle, a chain too deep or a value too
   * long the whole value is returned as written and, when `report` is set, the failure is recorded once
   * per expression.
   */
  interpolate(value: string, site: ValueSite, report = true): string {
    if (!value.includes('${')) return value;
    const undefinedHere: string[] = [];
    const expanded = this.expand(value, [], undefinedHere);
    if (!expanded.ok) {
      if (report && !this.failed.has(expanded.failure.expression)) {
        this.failed.add(expanded.failure.expression);
        this.failures.push({
          ...expanded.failure,
          site,
          value: value.length > 100 ? `${value.slice(0, 100)}...` : value,
        });
      }
      return value;
    }
    if (report) {
      for (const expression of undefinedHere) {
        if (!this.undefinedExpressions.has(expression)) this.undefinedExpressions.set(expression, site);
      }
    }
    return expanded.value;
  }

  interpolateOptional(value: string | undefined, site: ValueSite, report = true): string | undefined {
    return value === undefined ? undefined : this.interpolate(value, site, report);
  }

  private expand(text: string, stack: string[], undefinedHere: string[]): Expansion {
    let out = '';
    let from = 0;
    for (;;) {
      const start = text.indexOf('${', from);
      if (start < 0) break;
      const end = text.indexOf('}', start + 2);
      if (end < 0) break;
      out += text.slice(from, start);
      const whole = text.slice(start, end + 1);
      const resolution = this.resolve(whole, stack);
      if (resolution.kind === 'failure') return { ok: false, failure: resolution.failure };
      if (resolution.kind === 'value') {
        out += resolution.value;
        undefinedHere.push(...resolution.undefinedInside);
      } else {
        out += whole;
        if (!isUnknowableExpression(expressionOf(whole))) undefinedHere.push(whole);
      }
      if (out.length > MAX_INTERPOLATED_LENGTH) return { ok: false, failure: tooLong(whole) };
      from = end + 1;
    }
    out += text.slice(from);
    return { ok: true, value: out };
  }

  private resolve(whole: string, stack: string[]): Resolution {
    const known = this.memo.get(whole);
    if (known) return known;
    const expression = expressionOf(whole);
    const key = recursionKey(expression);
    if (stack.includes(key)) {
      return {
        kind: 'failure',
        failure: { kind: 'cycle', expression: whole, chain: cycleChain(stack, key) },
      };
    }
    if (stack.length >= MAX_INTERPOLATION_DEPTH) {
      return { kind: 'failure', failure: { kind: 'too-deep', expression: whole, chain: [] } };
    }
    const found = this.lookUp(expression, whole);
    let resolution: Resolution;
    if (found === undefined) resolution = { kind: 'undefined' };
    else if (found === SELF_REFERENCE) {
      resolution = { kind: 'failure', failure: { kind: 'cycle', expression: whole, chain: [whole, whole] } };
    } else {
      const undefinedInside: string[] = [];
      stack.push(key);
      const expanded = this.expand(found, stack, undefinedInside);
      stack.pop();
      resolution = expanded.ok
        ? { kind: 'value', value: expanded.value, undefinedInside: [...new Set(undefinedInside)] }
        : { kind: 'failure', failure: expanded.failure };
    }
    // "Too deep" depends on how deep the expression was met, so it is only remembered where the walk
    // started; anything else is the same wherever the expression is met.
    if (resolution.kind !== 'failure' || resolution.failure.kind !== 'too-deep' || stack.length === 0) {
      this.memo.set(whole, resolution);
    }
    return resolution;
  }

  /**
   * The raw value from the first source that has one; a value containing the expression itself (`a=${a}`)
   * is skipped like Maven does, and is a cycle when no later source answers.
   */
  private lookUp(expression: string, whole: string): string | typeof SELF_REFERENCE | undefined {
    let selfReferring = false;
    for (const candidate of this.candidates(expression)) {
      if (candidate === undefined) continue;
      if (candidate.includes(whole)) {
        selfReferring = true;
        continue;
      }
      return candidate;
    }
    return selfReferring ? SELF_REFERENCE : undefined;
  }

  private *candidates(expression: string): Generator<string | undefined> {
    const prefix = PROJECT_PREFIXES.find((p) => expression.startsWith(p));
    if (prefix) yield this.sources.project(expression.slice(prefix.length));
    yield this.sources.userProperties.get(expression);
    yield this.sources.modelProperties.get(expression);
    yield this.sources.systemProperties.get(expression);
    yield this.sources.systemProperties.get(`env.${expression}`);
    if (!prefix) yield this.sources.project(expression);
  }
}

const SELF_REFERENCE = Symbol('self-reference');

/** Maven's recursion interceptor treats `${project.version}`, `${pom.version}` and `${version}` as one. */
/** `${.a}` is `${a}`, like Maven. */
function expressionOf(whole: string): string {
  const inner = whole.slice(2, -1);
  return inner.startsWith('.') ? inner.slice(1) : inner;
}

function recursionKey(expression: string): string {
  const prefix = PROJECT_PREFIXES.find((p) => expression.startsWith(p));
  return prefix ? expression.slice(prefix.length) : expression;
}

function cycleChain(stack: string[], key: string): string[] {
  return [...stack.slice(stack.indexOf(key)), key].map((k) => `\${${k}}`);
}

function tooLong(expression: string): Failure {
  return { kind: 'too-long', expression, chain: [] };
}
