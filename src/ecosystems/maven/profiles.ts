/**
 * Profile activation as Maven 3.8's DefaultProfileSelector does it, for what can be known without a
 * machine: `activeByDefault`, `jdk` (against a configured Java version) and `property` (against the -D and
 * system properties). `os` and `file` conditions are never met here, and said so.
 */
import type { Profile } from './pom-model.js';

export interface ActivationContext {
  javaVersion: string;
  /** A -D (user) property, else a system property (`java.version`, `env.X`). */
  property(name: string): string | undefined;
}

export interface ProfileSelection {
  active: Profile[];
  /** Ids (or lines) of profiles with an `os` or `file` condition, which is not evaluated, and content that matters. */
  unevaluated: string[];
  /** Profiles whose `<property>` has no name: never active, as in Maven. */
  invalid: Profile[];
}

/**
 * Conditions present are ANDed (Maven 3.2.2+); `activeByDefault` profiles are active only when no other
 * profile of the same POM is activated by a condition.
 */
export function selectActiveProfiles(
  profiles: readonly Profile[],
  context: ActivationContext,
): ProfileSelection {
  const active: Profile[] = [];
  const byDefault: Profile[] = [];
  const unevaluated: string[] = [];
  const invalid: Profile[] = [];
  for (const profile of profiles) {
    const activation = profile.activation;
    if (!activation) continue;
    if ((activation.os || activation.file) && changesTheModel(profile)) {
      unevaluated.push(profile.id ?? `line ${profile.line}`);
    }
    const result = conditionsMet(profile, context);
    if (result === 'invalid') invalid.push(profile);
    if (result === true) active.push(profile);
    else if (activation.activeByDefault?.trim() === 'true') byDefault.push(profile);
  }
  return { active: active.length > 0 ? active : byDefault, unevaluated, invalid };
}

/** Profiles that only configure the build (plugins, resources) change nothing here, so their activation does not matter. */
function changesTheModel(profile: Profile): boolean {
  return (
    profile.properties.size > 0 ||
    profile.dependencies.length > 0 ||
    profile.dependencyManagement.length > 0 ||
    profile.repositories.length > 0 ||
    profile.modules.length > 0
  );
}

/** True when every condition present holds; false when none is present (activeByDefault is not a condition). */
function conditionsMet(profile: Profile, context: ActivationContext): boolean | 'invalid' {
  const activation = profile.activation!;
  let present = false;
  let met = true;
  if (activation.jdk !== undefined) {
    present = true;
    met &&= jdkMatches(activation.jdk, context.javaVersion);
  }
  if (activation.property) {
    present = true;
    const result = propertyMatches(activation.property, context);
    if (result === 'invalid') return 'invalid';
    met &&= result;
  }
  if (activation.os || activation.file) {
    present = true;
    met = false;
  }
  return present && met;
}

/**
 * Maven's JdkVersionProfileActivator: `!1.8` negates a prefix, `[11,)` / `(,1.8]` / `[1.5,1.6)` are ranges
 * compared on three numeric components, anything else is a prefix of the Java version (so `1` matches `17`,
 * as in Maven).
 */
export function jdkMatches(condition: string, javaVersion: string): boolean {
  const jdk = condition.trim();
  if (jdk.startsWith('!')) return !javaVersion.startsWith(jdk.slice(1));
  if (jdk.startsWith('[') || jdk.startsWith('(')) return inJdkRange(javaVersion, jdk);
  return javaVersion.startsWith(jdk);
}

interface RangeBound {
  value: string;
  closed: boolean;
}

function inJdkRange(version: string, range: string): boolean {
  const bounds: RangeBound[] = [];
  for (const token of range.split(',')) {
    if (token.startsWith('[')) bounds.push({ value: token.slice(1), closed: true });
    else if (token.startsWith('(')) bounds.push({ value: token.slice(1), closed: false });
    else if (token.endsWith(']')) bounds.push({ value: token.slice(0, -1), closed: true });
    else if (token.endsWith(')')) bounds.push({ value: token.slice(0, -1), closed: false });
    else if (token.length === 0) bounds.push({ value: '', closed: false });
  }
  if (bounds.length < 2) bounds.push({ value: '99999999', closed: false });
  const left = relation(version, bounds[0]!, true);
  if (left === undefined || left < 0) return false;
  if (left === 0) return true;
  const right = relation(version, bounds[1]!, false);
  return right !== undefined && right <= 0;
}

/** Undefined where Maven would fail on a component that is not a number (the profile is then not active). */
function relation(version: string, bound: RangeBound, isLeft: boolean): number | undefined {
  if (bound.value.length === 0) return isLeft ? 1 : -1;
  const ours = numericTokens(
    version
      .replace(/[^0-9._-]/g, '')
      .replace(/[-_]/g, '.')
      .replace(/\.+/g, '.')
      .split('.'),
  );
  const theirs = numericTokens(bound.value.split('.'));
  if ([...ours, ...theirs].some(Number.isNaN)) return undefined;
  for (let i = 0; i < 3; i++) {
    if (ours[i]! < theirs[i]!) return -1;
    if (ours[i]! > theirs[i]!) return 1;
  }
  if (!bound.closed) return isLeft ? -1 : 1;
  return 0;
}

/** The first three components as numbers, missing ones as 0, anything else NaN. */
function numericTokens(tokens: string[]): number[] {
  const numbers: number[] = [];
  for (let i = 0; i < 3; i++) {
    const token = tokens[i];
    numbers.push(token === undefined || token === '' ? 0 : /^\d+$/.test(token) ? Number(token) : NaN);
  }
  return numbers;
}

/**
 * Maven's PropertyProfileActivator: `name` (defined and not empty), `!name` (undefined or empty),
 * `name` + `value` (equal), `name` + `!value` (not equal, an undefined property included). With a value,
 * a `!` on the name is ignored, as in Maven.
 */
export function propertyMatches(
  property: { name?: string; value?: string },
  context: ActivationContext,
): boolean | 'invalid' {
  let name = property.name?.trim() ?? '';
  const reverseName = name.startsWith('!');
  if (reverseName) name = name.slice(1);
  if (name.length === 0) return 'invalid';
  const actual = context.property(name);
  let expected = property.value?.trim() ?? '';
  if (expected.length > 0) {
    const reverseValue = expected.startsWith('!');
    if (reverseValue) expected = expected.slice(1);
    const equal = expected === actual;
    return reverseValue ? !equal : equal;
  }
  const defined = actual !== undefined && actual.length > 0;
  return reverseName ? !defined : defined;
}
