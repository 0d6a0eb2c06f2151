// Inputs of the helm-oracle value tables. Expected results are NOT here: gen-values-oracle.ts runs the real helm on
// each case and stores what it printed in test/fixtures/charts/values-oracle.json.

/** One `helm template` invocation's value flags, on the tiny chart `c` (values.yaml given per case, default empty). */
export interface FlagCase {
  id: string;
  flags: string[];
  valuesYaml?: string;
  /** Extra files written next to the chart (for -f and --set-file), path → content. */
  files?: Record<string, string>;
}

const set = (id: string, ...values: string[]): FlagCase => ({ id: `set/${id}`, flags: values.flatMap((v) => ['--set', v]) });
const str = (id: string, ...values: string[]): FlagCase => ({ id: `set-string/${id}`, flags: values.flatMap((v) => ['--set-string', v]) });
const json = (id: string, ...values: string[]): FlagCase => ({ id: `set-json/${id}`, flags: values.flatMap((v) => ['--set-json', v]) });
const lit = (id: string, ...values: string[]): FlagCase => ({ id: `set-literal/${id}`, flags: values.flatMap((v) => ['--set-literal', v]) });

export const FLAG_CASES: FlagCase[] = [
  set('scalars', 'a=1,b=true,c=FALSE,d=null,e=NULL,f=0,g=-1,h=+5,i=007,j=1.5,k=1e3,l=0x1F,m=9223372036854775807,n=9223372036854775808'),
  set('strings', 'name1=value1,name2=value2,', 'sp=one two three'),
  set('empty-value', 'name1=,name2=value2'),
  set('escapes', 'name1=one\\,two,name2=three\\=four,a\\.b=c,d=e\\\\f'),
  set('nesting', 'outer.inner1=value,outer.middle.inner=value'),
  set('lists', 'name1={value1,value2},name2={1021,902},e={},f={a}'),
  set('list-index', 'list[0]=foo,list[3]=bar'),
  set('list-nested', 'nested[1][1]=1'),
  set('list-of-maps', 'name1.name2[1].foo=bar,name1.name2[0].foo=baz'),
  set('list-noval', 'noval[0]'),
  set('list-empty-val', 'noval[0]='),
  set('weird', ']={}].'),
  set('later-wins', 'a=1', 'a=2,b.c=3', 'b.d=4'),
  set('type-clash-map', 'a=1', 'a.b=2'),
  set('type-clash-list', 'a=1', 'a[0]=2'),
  set('index-limit', 'a[65537]=1'),
  set('index-negative', 'a[-1]=1'),
  set('index-bad', 'a[x]=1'),
  set('no-value', 'name1'),
  set('no-value-comma', 'name1,name2=v'),
  set('trailing-comma-key', 'a=1,,'),
  set('key-map-no-value', 'name1.=name2'),
  set('unterminated-list', 'name1={1021,902'),
  set('depth-30', Array.from({ length: 30 }, (_, i) => `k${i}`).join('.') + '.x=1'),
  set('depth-31', Array.from({ length: 31 }, (_, i) => `k${i}`).join('.') + '.x=1'),
  set('unexpected-after-index', 'illegal[0]name.foo=bar'),
  set('null-deletes-default', 'a=null'),
  str('all-strings', 'a=1,b=true,c=null,d=0,e={1,2}'),
  json('scalars', 'a=1,b="x",c=true,d=null,e=,f=[1,"2",{"x":1.5}],g={"k":[]}'),
  json('object-form', '{"a":{"b":1},"c":[1,2]}'),
  json('object-merge', '{"a":{"b":1}}', '{"a":{"c":2}}'),
  json('bad', 'a=tru'),
  json('bad-object', '{"a":'),
  json('index', 'l[1]={"x":1}'),
  lit('literal', 'a=1,b=c\\,d', 'x.y[0]=true', 'e=='),
  { id: 'order/json-then-set', flags: ['--set', 'a=1', '--set-json', 'a=2', '--set-string', 'b=3', '--set-literal', 'b=4'] },
  { id: 'order/files', flags: ['-f', 'v1.yaml', '-f', 'v2.yaml', '--set', 'c=3'], files: { 'v1.yaml': 'a: 1\nb: {x: 1}\n---\nb: {y: 2}\n', 'v2.yaml': 'b: {x: 10}\nc: 1\n' } },
  { id: 'set-file', flags: ['--set-file', 'a=f.txt,b=f.txt'], files: { 'f.txt': 'line1\nline2\n' } },
  { id: 'set-file-missing', flags: ['--set-file', 'a=missing.txt'] },
  { id: 'file-missing', flags: ['-f', 'missing.yaml'] },
  { id: 'file-bad', flags: ['-f', 'bad.yaml'], files: { 'bad.yaml': 'a: [\n' } },
  { id: 'file-not-map', flags: ['-f', 'list.yaml'], files: { 'list.yaml': '- 1\n' } },
  {
    id: 'coalesce/nil-deletes',
    valuesYaml: 'a: 1\nb: {c: 2, d: 3}\ne: [1, 2]\nf: x\n',
    flags: ['--set', 'a=null,b.c=null,e={9},f.g=1'],
  },
  { id: 'coalesce/map-over-scalar', valuesYaml: 'a: 1\nb: {c: 1}\n', flags: ['--set', 'a.x=1,b=2'] },
  { id: 'coalesce/json-null-in-map', valuesYaml: 'a: {b: 1, c: 2}\n', flags: ['--set-json', 'a={"b":null}'] },
  { id: 'coalesce/default-null', valuesYaml: 'a: null\nb: {c: null}\n', flags: [] },
  { id: 'coalesce/file-null', valuesYaml: 'a: 1\nb: {c: 2}\n', flags: ['-f', 'n.yaml'], files: { 'n.yaml': 'a: null\nb: {c: null}\n' } },
];

/** A fixture chart (test/fixtures/charts/<chart>) rendered with some flags. */
export interface ChartCase {
  id: string;
  chart: string;
  flags: string[];
}

export const CHART_CASES: ChartCase[] = [
  { id: 'deps/default', chart: 'deps', flags: [] },
  { id: 'deps/tag-front-off', chart: 'deps', flags: ['--set', 'tags.front=false'] },
  { id: 'deps/tag-front-off-back-on', chart: 'deps', flags: ['--set', 'tags.front=false,tags.back=true'] },
  { id: 'deps/condition-beats-tag', chart: 'deps', flags: ['--set', 'tags.front=false,subA.enabled=true'] },
  { id: 'deps/condition-second-path', chart: 'deps', flags: ['--set', 'subA.enabled=null,global.subA.enabled=false'] },
  { id: 'deps/condition-non-bool', chart: 'deps', flags: ['--set', 'subA.enabled=yes'] },
  { id: 'deps/enable-c-and-inner', chart: 'deps', flags: ['--set', 'subC.enabled=true,sub-a.inner.enabled=true'] },
  { id: 'deps/alias-off', chart: 'deps', flags: ['--set', 'gamma.active=false'] },
  { id: 'deps/override-imports', chart: 'deps', flags: ['--set', 'x=9,imported.more.z=user,imported.more.yy=user2,beta.exports.data.x=7'] },
  { id: 'deps/globals-user', chart: 'deps', flags: ['--set', 'global.g1=user,global.shared.c=3', '--set', 'sub-a.global.g2=sub'] },
  { id: 'deps/type-mismatch', chart: 'deps', flags: ['--set', 'sub-c=5,subC.enabled=true'] },
  { id: 'deps/warn-table-clash', chart: 'deps', flags: ['--set', 'sub-a.nested=flat', '--set', 'sub-a.own.x=1'] },
  { id: 'deps/global-not-table', chart: 'deps', flags: ['--set', 'sub-a.global=5'] },
  { id: 'legacy/default', chart: 'legacy', flags: [] },
  { id: 'legacy/enabled', chart: 'legacy', flags: ['--set', 'req.enabled=true'] },
  { id: 'schema/ok', chart: 'schema', flags: [] },
  {
    id: 'schema/many',
    chart: 'schema',
    flags: ['--set', 'replicaCount=0,image.pullPolicy=Sometimes,image.extra=1,mode=c,port=70000,email=nope,either=3,child.size=11,child.name=X1'],
  },
  { id: 'schema/missing', chart: 'schema', flags: ['--set', 'image=null'] },
  { id: 'schema/child-not-map', chart: 'schema', flags: ['--set', 'child=5'] },
  { id: 'schema/type', chart: 'schema', flags: ['--set-string', 'replicaCount=3'] },
  { id: 'schema/skip', chart: 'schema', flags: ['--set-string', 'replicaCount=3', '--skip-schema-validation'] },
  {
    id: 'schema-kw/all',
    chart: 'schema-kw',
    flags: [
      '--set',
      'i=1.5,s=1,e=c,e1=z,e2=7,m=5,m2=5,m3=5,m4=5,m5=0,m6=5,m7=5,m8=999999999,ml=ab,ml2=héllo,p=y,f=nope,u={1\\,1},n.x=3,n.y=x,any=1,one=s,one0=1,not=s,all=ab,c=6,mi={1\\,2},mp.x=1,t=null,ref=abc,fs=1,extra=1,extra2=2',
    ],
  },
  { id: 'schema-kw/required-only', chart: 'schema-kw', flags: [] },
  { id: 'schema-kw/nested-only', chart: 'schema-kw', flags: ['--set', 'req1=1,req2=1,n.y=a,n.x=1'] },
  { id: 'schema-kw/json-float-integer', chart: 'schema-kw', flags: ['--set-json', 'i=1.0', '--set', 'req1=1,req2=1'] },
  {
    id: 'schema-kw7/formats',
    chart: 'schema-kw7',
    flags: ['--set', 'f=nope,g=1.2.3,u=ab,dr.a=1,ct={1\\,2},ai={1\\,2\\,3},ref=abc', '--set-string', 'h=x'],
  },
];
