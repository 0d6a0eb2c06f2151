// Bad input answered as a real API server answers it: the status code and the whole Status object.
//
// Expected texts come from the Kubernetes sources that produce them: handlers.transformDecodeError and
// summarizeData (create/update bodies), the JSON serializer's "couldn't get version/kind; json parse error", go-yaml
// v2's "yaml: line N: ..." errors, the patch handler's "error decoding patch" / "error decoding YAML" wrapping,
// ValidatePatchOptions (422 on PatchOptions.meta.k8s.io), the field manager's "Incorrect version specified in apply
// patch", handlers.checkName and rest.EnsureObjectNamespaceMatchesRequestNamespace, go-restful's 404 and 415 through
// NewGenericServerResponse — and from the real kubectl where it reports the error itself.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, haveTool, run, sandboxEnv, tool, waitFor, type Env } from './helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const DEPLOYMENTS = '/apis/apps/v1/namespaces/default/deployments';
const JSON_CT = { 'Content-Type': 'application/json' };
const YAML_CT = { 'Content-Type': 'application/yaml' };
const APPLY = { 'Content-Type': 'application/apply-patch+yaml' };
const MERGE = { 'Content-Type': 'application/merge-patch+json' };
const JSONPATCH = { 'Content-Type': 'application/json-patch+json' };
const STRATEGIC = { 'Content-Type': 'application/strategic-merge-patch+json' };

/** A failure Status as the API server encodes it (details only when the error carries them). */
function status(code: number, reason: string, message: string, details?: Any): Any {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}
const badRequest = (message: string): Any => status(400, 'BadRequest', message);
/** The first 30 bytes of a body that does not start with '{', in hex (handlers.summarizeData). */
const hex30 = (body: string): string => `${Buffer.from(body).subarray(0, 30).toString('hex')} ...`;

const BAD_YAML = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: b: c\n';
const TAB_YAML = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n';
const NOT_FOUND_PATH = status(404, 'NotFound', 'the server could not find the requested resource', {});

describe('bad input', () => {
  let e: Env;
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>): ReturnType<typeof api> => api(e.sb, 'bad', method, path, body, headers);
  const kubectl = (...args: string[]): ReturnType<typeof run> => run(tool('kubectl'), ['--context', 'bad', ...args], e.env);

  before(async () => {
    e = await sandboxEnv({ clusters: ['bad'], controllerDelayMs: 20 });
    const cm = await call('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
    assert.equal(cm.status, 201, cm.text);
  });
  after(async () => {
    await e?.close();
  });

  test('malformed JSON bodies', async () => {
    const trailingComma = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad"},}';
    const create = await call('POST', CONFIGMAPS, trailingComma, JSON_CT);
    assert.equal(create.status, 400);
    assert.equal(create.headers['content-type'], 'application/json');
    assert.deepEqual(
      create.json,
      badRequest(
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: invalid character \'}\' looking for beginning of object key string ({"apiVersion":"v1","kind":"Con ...)',
      ),
    );
    const truncated = await call('PUT', `${CONFIGMAPS}/x`, '{"apiVersion":"v1"', JSON_CT);
    assert.deepEqual(
      truncated.json,
      badRequest('the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: unexpected end of JSON input ({"apiVersion":"v1")'),
    );
    const notAnObject = await call('POST', CONFIGMAPS, '["a"]', JSON_CT);
    assert.deepEqual(
      notAnObject.json,
      badRequest(
        'the object provided is unrecognized (must be of type ConfigMap): couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" } (5b2261225d)',
      ),
    );
    const empty = await call('POST', CONFIGMAPS, '', JSON_CT);
    assert.deepEqual(empty.json, badRequest("the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)"));
    // YAML sent as JSON: the summary of a body not starting with '{' is hex.
    const yamlAsJson = await call('POST', DEPLOYMENTS, 'apiVersion: apps/v1\nkind: Deployment\n', JSON_CT);
    assert.deepEqual(
      yamlAsJson.json,
      badRequest(`the object provided is unrecognized (must be of type Deployment): couldn't get version/kind; json parse error: invalid character 'a' looking for beginning of value (${hex30('apiVersion: apps/v1\nkind: Deployment\n')})`),
    );

    // Patches: the patch handler's own wording; nothing is written.
    const merge = await call('PATCH', `${CONFIGMAPS}/x`, '{"data": x}', MERGE);
    assert.deepEqual(merge.json, badRequest("error decoding patch: invalid character 'x' looking for beginning of value"));
    const jsonPatch = await call('PATCH', `${CONFIGMAPS}/x`, '[{"op":"add","path":"/data/b","value":"1"}', JSONPATCH);
    assert.deepEqual(jsonPatch.json, badRequest('error decoding patch: unexpected end of JSON input'));
    const jsonPatchObject = await call('PATCH', `${CONFIGMAPS}/x`, '{"op":"add","path":"/data/b","value":"1"}', JSONPATCH);
    assert.deepEqual(jsonPatchObject.json, badRequest('error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp'));
    const strategic = await call('PATCH', `${CONFIGMAPS}/x`, '{"data":{"a":"2"}', STRATEGIC);
    assert.deepEqual(strategic.json, badRequest('unexpected end of JSON input'));
    assert.deepEqual((await call('GET', `${CONFIGMAPS}/x`)).json.data, { a: '1' });
    // A non-apply patch of a missing object fails on the object before the body is read.
    const missing = await call('PATCH', `${CONFIGMAPS}/nope`, '{"data": x}', MERGE);
    assert.deepEqual(missing.json, status(404, 'NotFound', 'configmaps "nope" not found', { name: 'nope', kind: 'configmaps' }));
  });

  test('malformed YAML bodies', async () => {
    const create = await call('POST', CONFIGMAPS, BAD_YAML, YAML_CT);
    assert.equal(create.status, 400);
    assert.deepEqual(create.json, badRequest(`the object provided is unrecognized (must be of type ConfigMap): yaml: line 6: mapping values are not allowed in this context (${hex30(BAD_YAML)})`));
    const tabbed = await call('POST', CONFIGMAPS, TAB_YAML, YAML_CT);
    assert.deepEqual(tabbed.json, badRequest(`the object provided is unrecognized (must be of type ConfigMap): yaml: line 4: found character that cannot start any token (${hex30(TAB_YAML)})`));

    // Server-side apply bodies are YAML (sigs.k8s.io/yaml.Unmarshal inside "error decoding YAML").
    const apply = await call('PATCH', `${CONFIGMAPS}/bad?fieldManager=tests`, BAD_YAML, APPLY);
    assert.equal(apply.status, 400);
    assert.deepEqual(apply.json, badRequest('error decoding YAML: error converting YAML to JSON: yaml: line 6: mapping values are not allowed in this context'));
    const applyTab = await call('PATCH', `${CONFIGMAPS}/tabbed?fieldManager=tests`, TAB_YAML, APPLY);
    assert.deepEqual(applyTab.json, badRequest('error decoding YAML: error converting YAML to JSON: yaml: line 4: found character that cannot start any token'));
    const list = await call('PATCH', `${CONFIGMAPS}/bad?fieldManager=tests`, '- a\n- b\n', APPLY);
    assert.deepEqual(list.json, badRequest('error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'));
    // Nothing was created.
    assert.equal((await call('GET', `${CONFIGMAPS}/bad`)).status, 404);
    assert.equal((await call('GET', `${CONFIGMAPS}/tabbed`)).status, 404);
  });

  test('unsupported body media types', async () => {
    // Built-in resources are go-restful routes: a Content-Type outside their Consumes list is go-restful's own 415.
    const restful = status(415, 'UnsupportedMediaType', '415: Unsupported Media Type', {});
    assert.deepEqual((await call('POST', CONFIGMAPS, '{}', { 'Content-Type': 'text/plain' })).json, restful);
    assert.deepEqual((await call('PATCH', `${CONFIGMAPS}/x`, '{}', JSON_CT)).json, restful);
  });

  test('unknown resources', async () => {
    const get = await call('GET', '/api/v1/namespaces/default/foos');
    assert.equal(get.status, 404);
    assert.deepEqual(get.json, NOT_FOUND_PATH);
    assert.deepEqual((await call('GET', '/api/v1/namespaces/default/foos/x')).json, NOT_FOUND_PATH);
    assert.deepEqual((await call('POST', '/apis/apps/v1/namespaces/default/foos', { apiVersion: 'apps/v1', kind: 'Foo', metadata: { name: 'x' } })).json, NOT_FOUND_PATH);
    assert.deepEqual((await call('GET', '/apis/apps/v1/foos')).json, NOT_FOUND_PATH);
    // A subresource the resource does not have, and a cluster-scoped resource under a namespace.
    assert.deepEqual((await call('GET', `${CONFIGMAPS}/x/scale`)).json, NOT_FOUND_PATH);
    assert.deepEqual((await call('GET', '/api/v1/namespaces/default/nodes')).json, NOT_FOUND_PATH);
    // Group versions nobody serves.
    assert.equal((await call('GET', '/apis/example.com/v1/widgets')).status, 404);
    assert.equal((await call('GET', '/apis/apps/v9/deployments')).status, 404);
  });

  test('unknown resources through kubectl', { skip: !haveTool('kubectl') && 'kubectl not in .tools' }, async () => {
    const get = await kubectl('get', 'foos');
    assert.equal(get.code, 1);
    assert.match(get.stderr, /error: the server doesn't have a resource type "foos"/);
    const foo = 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: f1\n';
    const r = await run(tool('kubectl'), ['--context', 'bad', 'apply', '--server-side', '-f', '-'], e.env, foo);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /resource mapping not found for name: "f1" namespace: "" from "STDIN": no matches for kind "Foo" in version "example.com\/v1"/);
    assert.match(r.stderr, /ensure CRDs are installed first/);
    // An apiVersion the server does not serve for a known kind fails the same way.
    const old = 'apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: d1\n';
    const r2 = await run(tool('kubectl'), ['--context', 'bad', 'apply', '--server-side', '-f', '-'], e.env, old);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /no matches for kind "Deployment" in version "apps\/v1beta1"/);
  });

  test('wrong apiVersion (and kind) in an apply', async () => {
    const deployment = (apiVersion?: string): Any => ({
      ...(apiVersion !== undefined ? { apiVersion } : {}),
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    });
    const url = `${DEPLOYMENTS}/web?fieldManager=tests`;
    const beta = await call('PATCH', url, deployment('apps/v1beta1'), APPLY);
    assert.equal(beta.status, 400);
    assert.deepEqual(beta.json, badRequest('Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1'));
    assert.deepEqual((await call('PATCH', url, deployment('v1'), APPLY)).json, badRequest('Incorrect version specified in apply patch. Specified patch version: v1, expected: apps/v1'));
    assert.deepEqual((await call('PATCH', url, deployment(), APPLY)).json, badRequest('Incorrect version specified in apply patch. Specified patch version: , expected: apps/v1'));
    assert.equal((await call('GET', `${DEPLOYMENTS}/web`)).status, 404, 'nothing was created');
    // The right version creates it.
    assert.equal((await call('PATCH', url, deployment('apps/v1'), APPLY)).status, 201);
  });

  test('apply and patch options: fieldManager required, force only for apply', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } };
    const noManager = await call('PATCH', `${CONFIGMAPS}/x`, cm, APPLY);
    assert.equal(noManager.status, 422);
    assert.deepEqual(
      noManager.json,
      status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      }),
    );
    const force = await call('PATCH', `${CONFIGMAPS}/x?force=true`, { data: { a: '2' } }, MERGE);
    assert.deepEqual(
      force.json,
      status(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch', {
        group: 'meta.k8s.io',
        kind: 'PatchOptions',
        causes: [{ reason: 'FieldValueForbidden', message: 'Forbidden: may not be specified for non-apply patch', field: 'force' }],
      }),
    );
    // Options are checked before the object is looked up.
    assert.equal((await call('PATCH', `${CONFIGMAPS}/missing`, cm, APPLY)).status, 422);
  });

  test('a name or namespace mismatch between the URL and the body', async () => {
    const body = (name?: string, namespace?: string): Any => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...(name !== undefined ? { name } : {}), ...(namespace ? { namespace } : {}) }, data: { a: '9' } });
    assert.deepEqual((await call('PUT', `${CONFIGMAPS}/x`, body('y'))).json, badRequest('the name of the object (y) does not match the name on the URL (x)'));
    assert.deepEqual((await call('PUT', `${CONFIGMAPS}/x`, body())).json, badRequest('the name of the object () does not match the name on the URL (x)'));
    assert.deepEqual((await call('PUT', `${CONFIGMAPS}/x`, body('x', 'other'))).json, badRequest('the namespace of the object (other) does not match the namespace on the request (default)'));
    assert.deepEqual((await call('POST', CONFIGMAPS, body('z', 'other'))).json, badRequest('the namespace of the provided object does not match the namespace sent on the request'));
    assert.deepEqual((await call('PATCH', `${CONFIGMAPS}/x?fieldManager=tests`, body('y'), APPLY)).json, badRequest('the name of the object (y) does not match the name on the URL (x)'));
    assert.deepEqual((await call('PATCH', `${CONFIGMAPS}/x`, [{ op: 'replace', path: '/metadata/name', value: 'y' }], JSONPATCH)).json, badRequest('the name of the object (y) does not match the name on the URL (x)'));
    assert.deepEqual((await call('PATCH', `${CONFIGMAPS}/x`, { metadata: { namespace: 'other' } }, MERGE)).json, badRequest('the namespace of the provided object does not match the namespace sent on the request'));
    // None of them changed the object, and nothing named y or z exists.
    assert.deepEqual((await call('GET', `${CONFIGMAPS}/x`)).json.data, { a: '1' });
    assert.equal((await call('GET', `${CONFIGMAPS}/y`)).status, 404);
    assert.equal((await call('GET', `${CONFIGMAPS}/z`)).status, 404);
  });

  test('strategic merge patch of a custom resource', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    assert.equal((await call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status, 201);
    await waitFor('the gadgets resource', async () => (await call('GET', '/apis/example.com/v1')).status === 200);
    const path = '/apis/example.com/v1/namespaces/default/gadgets';
    assert.equal((await call('POST', path, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 1 } })).status, 201);
    const accepted = 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml';
    const smp = await call('PATCH', `${path}/g1`, { spec: { size: 2 } }, STRATEGIC);
    assert.equal(smp.status, 415);
    assert.deepEqual(smp.json, status(415, 'UnsupportedMediaType', accepted));
    // Custom resources are not go-restful routes: an unknown body type gets the decoder's list.
    const plain = await call('POST', path, '{}', { 'Content-Type': 'text/plain' });
    assert.deepEqual(plain.json, status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml'));
    if (haveTool('kubectl')) {
      // kubectl patch defaults to a strategic merge patch and reports the server's answer.
      const r = await kubectl('patch', 'gadget', 'g1', '-p', '{"spec":{"size":3}}');
      assert.equal(r.code, 1);
      assert.match(r.stderr, new RegExp(`application/strategic-merge-patch\\+json is not supported by example.com/v1, Kind=Gadget: ${accepted.replace(/[+]/g, '\\+')}`));
      const merge = await kubectl('patch', 'gadget', 'g1', '--type=merge', '-p', '{"spec":{"size":3}}');
      assert.equal(merge.code, 0, merge.stderr);
    }
  });
});
