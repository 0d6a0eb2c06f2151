// The function map is Helm's: Sprig v3.3.0's 211 names minus env and expandenv, plus Helm's own functions.
// The names are the list in ../shared/spec/helm-semantics.md §1 (read from Sprig's TxtFuncMap and helm's funcs.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helmFuncMap, sprigNames } from '../../src/template/funcs/index.js';

const SPRIG_V3_3_0 = `hello ago date date_in_zone date_modify dateInZone dateModify duration
  durationRound htmlDate htmlDateInZone must_date_modify mustDateModify mustToDate now toDate unixEpoch abbrev abbrevboth
  trunc trim upper lower title untitle substr repeat trimall trimAll trimSuffix trimPrefix nospace initials randAlphaNum
  randAlpha randAscii randNumeric swapcase shuffle snakecase camelcase kebabcase wrap wrapWith contains hasPrefix
  hasSuffix quote squote cat indent nindent replace plural sha1sum sha256sum sha512sum adler32sum toString atoi int64 int
  float64 seq toDecimal split splitList splitn toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf
  divf mulf biggest max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact mustCompact
  fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson mustToRawJson ternary deepCopy
  mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual getHostByName base dir clean ext isAbs osBase osClean
  osDir osExt osIsAbs b64enc b64dec b32enc b32dec tuple list dict get set unset hasKey pluck keys pick omit merge
  mergeOverwrite mustMerge mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first mustFirst
  rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without mustWithout has mustHas slice
  mustSlice concat dig chunk mustChunk bcrypt htpasswd genPrivateKey derivePassword buildCustomCert genCA genCAWithKey
  genSelfSignedCert genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES randBytes uuidv4
  semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind mustRegexFind
  regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral mustRegexReplaceAllLiteral regexSplit mustRegexSplit
  regexQuoteMeta urlParse urlJoin env expandenv`
  .split(/\s+/)
  .filter(Boolean);

const HELM = ['toYaml', 'mustToYaml', 'toYamlPretty', 'fromYaml', 'fromYamlArray', 'toJson', 'mustToJson', 'fromJson', 'fromJsonArray', 'toToml', 'fromToml', 'include', 'tpl', 'required', 'lookup'];

test('Sprig list from the spec has 211 names', () => {
  assert.equal(new Set(SPRIG_V3_3_0).size, 211);
});

test('the function map is Sprig minus env/expandenv plus Helm, nothing else', () => {
  const want = new Set([...SPRIG_V3_3_0.filter((n) => n !== 'env' && n !== 'expandenv'), ...HELM]);
  const got = new Set(Object.keys(helmFuncMap()));
  assert.deepEqual([...want].filter((n) => !got.has(n)).sort(), [], 'missing functions');
  assert.deepEqual([...got].filter((n) => !want.has(n)).sort(), [], 'functions Helm does not have');
  // Sprig's own names, for --name-template (helm runs it with Sprig's map alone).
  assert.deepEqual(sprigNames().sort(), SPRIG_V3_3_0.filter((n) => n !== 'env' && n !== 'expandenv').sort());
});
