// Public surface of the cluster layer: connect to a cluster from a kubeconfig (client-node's loading and auth),
// object operations (server-side apply, create, replace, delete with propagation, get, list), discovery and REST
// mapping cached per cluster, kstatus readiness and waits driven by watches, retries and QPS limits.
export { Cluster, refOf, describeRef, type KubeObject, type ObjectMeta, type ObjectRef, type ApplyOptions, type Propagation, type WaitOptions } from './cluster.js';
export { KubeTransport, loadKubeConfig, type ConnectOptions, type ConfigOverrides, type RequestSpec } from './client.js';
export { Discovery, NoKindMatchError, splitApiVersion, type ResourceInfo, type ServerVersion } from './discovery.js';
export { computeStatus, type Status, type StatusResult, type StatusOptions } from './status.js';
export { KubeApiError, KubeTransportError, KubeUnreachableError, KubeConfigError, WaitError, type StatusCause } from './errors.js';
