// semver and semverCompare against outputs of the real helm v4.1.4 (shared/vectors category "semver" and further
// cases rendered with the same binary). Rows: [constraint, version, want] where constraint "VERSION" means
// `semver VERSION` printed (its String()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { semverFuncs, SemverVersion } from '../../src/template/funcs/semver.js';
import { GoInt, typeName, kindName, type GoValue } from '../../src/template/value.js';

type Want = boolean | string | { err: string };
const rows: [string, string, Want][] = [
  [">=1.2.0-0 <2.0.0", "1.5.0-beta", true],
  ["1|2", "1.0.0", {"err": "constraint parser error"}],
  ["1 - 2", "2.5.0", true],
  ["1.2 - 1.4.5", "1.4.6", false],
  [">= 1.2, < 3", "2.0.0", true],
  ["^1.2.3-alpha", "1.2.3-beta", true],
  ["^1.2.3-alpha", "1.3.0-beta", true],
  ["~1.2.3-alpha", "1.2.4-beta", true],
  ["", "1.0.0", {"err": "improper constraint: "}],
  ["", "1.0.0-a", {"err": "improper constraint: "}],
  ["  ", "1.0.0", {"err": "improper constraint:   "}],
  ["!=1.2.x", "1.2.5", false],
  ["!=1.2.x", "1.3.5", true],
  [">1.x", "2.0.0", true],
  [">1", "1.5.0", false],
  ["<=1.2", "1.2.9", true],
  ["<=1.2", "1.3.0", false],
  ["=>1.0", "1.0.0", true],
  ["=<1.0", "1.0.0", true],
  ["~0", "0.5.0", true],
  ["~1", "1.9.0", true],
  ["~1.2", "1.3.0", false],
  ["^1.x", "1.5.0", true],
  ["1.2.3 || 2.x", "2.4.0", true],
  [">=1.0.0,<2.0.0", "1.5.0", true],
  [">=1.0.0 ,<2.0.0", "1.5.0", true],
  ["abc", "1.0.0", {"err": "improper constraint: abc"}],
  [">= 1.0.0 garbage", "1.0.0", {"err": "improper constraint: >= 1.0.0 garbage"}],
  [">=1.0.0 ||", "1.0.0", {"err": "improper constraint: "}],
  ["||", "1.0.0", {"err": "improper constraint: "}],
  ["VERSION", "1.2.3-01", {"err": "version segment starts with 0"}],
  ["VERSION", "1.2.3-0a", "1.2.3-0a"],
  ["VERSION", "v1", "1.0.0"],
  ["VERSION", "1.2.3+meta.01", "1.2.3+meta.01"],
  ["VERSION", "99999999999999999999", {"err": "error parsing version segment: strconv.ParseUint: parsing \"99999999999999999999\": value out of range"}],
  ["VERSION", "18446744073709551615", "18446744073709551615.0.0"],
  ["VERSION", "V1.2.3", {"err": "invalid semantic version"}],
  ["VERSION", " 1.2.3", {"err": "invalid semantic version"}],
  ["VERSION", "1.2.3-", {"err": "invalid semantic version"}],
  ["VERSION", "1.2.3+", {"err": "invalid semantic version"}],
  ["VERSION", "1.2.3-a..b", {"err": "invalid semantic version"}],
  ["VERSION", "1..2", {"err": "invalid semantic version"}],
  ["VERSION", "1.2.3-a_b", {"err": "invalid semantic version"}],
  ["1.2.3-01", "1.2.3", {"err": "constraint parser error"}],
  [">=1.0.0", "1.2.3-01", {"err": "version segment starts with 0"}],
  [">1.0.0-alpha.1", "1.0.0-alpha.beta", true],
  ["^0.0", "0.0.5", true],
  ["^0.0", "0.1.0", false],
  ["^0.0.x", "0.0.5", true],
  ["^0.x", "0.5.0", true],
  ["<1.2.3-beta", "1.2.3-alpha", true],
  [">=1.2.3-beta || >=2", "2.0.0-rc", true],
  [">=1.2.3-beta, <3", "2.0.0-rc", true],
  ["~1.2.x", "1.2.9", true],
  ["~>1", "1.9.9", true],
  ["~*", "3.0.0", true],
  ["^*", "3.0.0", false],
  [">=*", "3.0.0", true],
  ["<*", "3.0.0", false],
  [">*", "3.0.0", true],
  ["!=*", "3.0.0", true],
  ["1.x.3", "1.5.3", true],
  ["1.2.X", "1.2.5", true],
  ["v1.x", "1.5.0", true],
  [">= 1.0.0 < 2.0.0", "1.5.0", true],
  [">=1.0.0 <2.0.0 || >3", "3.5.0", false],
  [">=1.0.0-beta.2", "1.0.0-beta.11", true],
  ["1.0.0 - 2.0.0-beta", "2.0.0-alpha", true],
  [">=1.2.3+build", "1.2.3", true],
  [">=1.2.3 <1.2.3", "1.2.3", false],
  ["> 1.0.0", "1.0.1", true],
  [">=1.19-0", "v1.35.0", true],
  ["~ 1.2", "1.2.5", true],
  ["1.2.3.4", "1.2.3", {"err": "improper constraint: 1.2.3.4"}],
  ["=1.2.3-beta", "1.2.3-beta", true],
  ["!=1.2.3-beta", "1.2.3-beta", false],
  ["!=1.2.3", "1.2.3-beta", false],
  ["1.2.3", "1.2.3-beta", false],
  [">=2.0.0-0 || <1.0.0", "0.5.0-rc", false],
  ["<1.0.0 || >=2.0.0-0", "0.5.0-rc", false],
  [">=1.0.0 1.x", "1.5.0", true],
  ["1.2.3 - 1.2.3", "1.2.3", true],
  ["1.2.3 -1.2.4", "1.2.3", {"err": "improper constraint: 1.2.3 -1.2.4"}],
  [">=1.0.0 - 2.0.0", "1.2.3", {"err": "improper constraint: >=>= 1.0.0, <= 2.0.0 "}],
  ["=1.2.3 =1.2.3", "1.2.3", true],
  [">=1.0.0 || <0.5.0 ||", "1.2.3", {"err": "improper constraint: "}],
  [">=1.0.0|| <0.5.0", "1.2.3", true],
  ["> =1.0.0", "1.2.3", {"err": "improper constraint: > =1.0.0"}],
  [">=01.0.0", "1.2.3", true],
  ["1.2.3-beta.01", "1.2.3", {"err": "constraint parser error"}],
  ["*.*.*", "1.2.3", true],
  ["x.2.3", "1.2.3", true],
  ["1.*", "1.2.3", true],
  ["1.2.3+x", "1.2.3", true],
  ["~1.2.3", "1.2.2", false],
  ["^1.2.3", "2.0.0", false],
  ["^0.2.3", "0.2.2", false],
  ["~0.0.0", "5.0.0", true],
  ["=0.0.0", "0.0.0", true],
  ["~0.0.x", "0.0.5", true],
  ["~0.0.x", "0.1.5", false],
  ["~0.x", "0.7.5", true],
  ["~0.x", "1.7.5", false],
  ["<=1.2.x", "1.2.9", true],
  ["<=1.x", "1.9.9", true],
  ["<=1.x", "2.0.0", false],
  ["<=x", "2.0.0", false],
  [">=1.2.3-alpha <1.2.3", "1.2.3-beta", true],
  ["!=1.2.3-alpha", "1.2.3-beta", true],
  ["!=1.2.x-alpha", "1.2.5-beta", true],
  ["^0.2.3", "0.2.9", true],
  ["^0.2.3", "0.3.0", false],
  ["^0.0.3", "0.0.4", false],
  ["^0", "0.9.0", true],
  ["~1.2.0", "1.2.9", true],
  ["~> 1.2", "1.2.5", true],
  [">=1.2.0 <2.0.0", "1.9.0", true],
  ["1.2.x", "1.2.7", true],
  ["1.x", "1.99.0", true],
  ["*", "1.0.0-alpha", false],
  ["x", "1.2.3", true],
  [">=1.2.0", "1.2.3-beta", false],
  [">=1.2.0-0", "1.2.3-beta", true],
  [">=1.2.3-alpha", "1.2.3-beta", true],
  ["<1.2.3", "1.2.3-beta", false],
  [">1.2.3-alpha.9", "1.2.3-alpha.10", true],
  ["=1.2.3", "1.2.3", true],
  ["1.2.3", "v1.2.3", true],
  ["v1.2.3", "1.2.3", true],
  ["!=1.2.3", "1.2.4", true],
  ["<1.0 || >=2.0", "1.5.0", false],
  ["<1.0 || >=2.0", "2.1.0", true],
  [">1.0.0", "1.0.0+build", false],
  ["1.2.3", "1.2.3+meta", true],
  [">1.2", "1.2.5", false],
  ["<1.2", "1.1.9", true],
  [">=1", "1", true],
  [">=1.0.0", "01.0.0", true],
  [">= v1.0.0", "v1.2.0", true],
  [">=1.20.0-0", "1.27.3-gke.100", true],
  [">=1.20.0", "v1.27.3-eks-abc", false],
  [">=1.0.0", "1.0.0.0", {"err": "invalid semantic version"}],
  ["^1.0", "notaversion", {"err": "invalid semantic version"}],];

function semver(v: string): SemverVersion {
  return semverFuncs.semver!.fn(v) as SemverVersion;
}

function call(v: GoValue, name: string, ...args: GoValue[]): GoValue {
  assert.ok(v instanceof SemverVersion);
  const m = v.method(name);
  assert.ok(m, `no method ${name} on ${v.typeName}`);
  return m.fn(...args);
}

test('semverCompare and semver parsing match helm', () => {
  // Twice: the second pass answers from semverCompare's memo, errors included.
  for (const [c, v, want] of [...rows, ...rows]) {
    const label = `${c} ${v}`;
    const run = (): GoValue => (c === 'VERSION' ? (semver(v).goString!() as string) : semverFuncs.semverCompare!.fn(c, v));
    if (typeof want === 'object') assert.throws(run, (e: Error) => e.message === want.err, label);
    else assert.equal(run(), want, label);
  }
});

test('semver version fields and methods', () => {
  const v = semver('1.2.3-beta.1+build.5');
  assert.equal((call(v, 'Major') as GoInt).value, 1n);
  assert.equal(typeName(call(v, 'Major')), 'uint64');
  assert.equal(call(v, 'Minor') instanceof GoInt && (call(v, 'Minor') as GoInt).value, 2n);
  assert.equal((call(v, 'Patch') as GoInt).value, 3n);
  assert.equal(call(v, 'Prerelease'), 'beta.1');
  assert.equal(call(v, 'Metadata'), 'build.5');
  assert.equal(call(v, 'Original'), '1.2.3-beta.1+build.5');
  assert.equal(call(semver('v1.2'), 'Original'), 'v1.2');
  assert.equal(semver('v1.2').goString!(), '1.2.0');
  assert.equal(typeName(v), '*semver.Version');
  assert.equal(kindName(v), 'ptr');
  assert.equal(call(semver('2.0.0'), 'GreaterThan', semver('2.0.0-rc.1')), true);
  assert.equal(call(semver('1.2.3+a'), 'Equal', semver('1.2.3+b')), true);
  const inc = call(semver('1.2.3'), 'IncMinor') as SemverVersion;
  assert.equal(inc.goString!(), '1.3.0');
  assert.equal(typeName(inc), 'semver.Version');
  assert.equal(kindName(inc), 'struct');
  assert.equal(inc.method('Original'), undefined, 'pointer method not on a value');
  assert.equal((call(inc, 'Major') as GoInt).value, 1n);
  const cmp = call(semver('1.2.3'), 'Compare', semver('1.2.4')) as GoInt;
  assert.equal(cmp.value, -1n);
  assert.equal(typeName(cmp), 'int');
  assert.equal((call(semver('1.2.3-a+b'), 'IncPatch') as SemverVersion).goString!(), '1.2.3');
  assert.equal((call(semver('1.2.3+b'), 'IncPatch') as SemverVersion).goString!(), '1.2.4');
  assert.equal((call(semver('v1.2.3-a'), 'IncMajor') as SemverVersion).goString!(), '2.0.0');
  assert.equal(call(semver('1.2.3'), 'LessThanEqual', semver('1.2.3')), true);
  assert.equal(call(semver('1.2.3'), 'GreaterThanEqual', semver('1.2.4')), false);
  assert.equal(call(semver('1.2.3'), 'LessThan', semver('1.2.4')), true);
  assert.equal((call(semver('1.2.3'), 'SetPrerelease', 'beta') as SemverVersion).goString!(), '1.2.3-beta');
  assert.throws(() => call(semver('1.2.3'), 'SetPrerelease', '01'), /^Error: version segment starts with 0$|version segment starts with 0/);
  assert.equal((call(semver('1.2.3'), 'SetMetadata', 'x.y') as SemverVersion).goString!(), '1.2.3+x.y');
  assert.equal(call(semver('01.02.03'), 'Original'), '01.02.03');
  assert.equal(semver('01.02.03').goString!(), '1.2.3');
  // toJson (semver "v1.2.3").IncMinor -> "1.3.0" (MarshalJSON)
  assert.equal(Buffer.from(call(inc, 'MarshalJSON') as Uint8Array).toString(), '"1.3.0"');
  // KubeVersion-style and values-style inputs
  assert.equal((call(semver('v1.35.0'), 'Minor') as GoInt).value, 35n);
  assert.equal((call(semver('1.27.3'), 'Minor') as GoInt).value, 27n);
});
