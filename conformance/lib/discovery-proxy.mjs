// The standalone apiextensions-apiserver lacks two things kube-apiserver has
// (there, the aggregator and the core API provide them):
//  1. the root discovery documents /api and /apis (its Complete() sets
//     EnableDiscovery=false), so kubectl cannot map kinds to resources;
//  2. OpenAPI for CRDs and for core/v1 (it has no OpenAPI v2 config, so its CRD
//     OpenAPI controllers never run). `kubectl apply --validate=strict` decides
//     whether the server supports fieldValidation=Strict for a CRD kind by
//     looking at the PATCH operation of core/v1 Namespace in /openapi/v3/api/v1
//     (cli-runtime query_param_verifier_v3.go); without it kubectl falls back to
//     client-side validation against /openapi/v2 and fails.
// This in-process proxy on a loopback port adds /api, /apis (built from the
// upstream's per-group discovery), the "api/v1" entry of /openapi/v3 with a
// minimal Namespace PATCH operation declaring fieldValidation (as every
// kube-apiserver >= 1.27 does), and forwards everything else (with our client
// certificate) unchanged: validation itself is entirely the upstream's.
import http from 'node:http';
import https from 'node:https';
import { closeOnCleanup } from './cleanup.mjs';

// kubectl's error output mentions this name when the proxy, not the API server,
// failed; kubectl.mjs treats that as a harness failure.
const ERROR_PREFIX = 'conformance discovery shim';

const CORE_V1_OPENAPI = {
  openapi: '3.0.0',
  info: { title: 'conformance shim: core/v1 stand-in for kubectl field-validation detection', version: 'v1' },
  paths: {
    '/api/v1/namespaces/{name}': {
      patch: {
        'x-kubernetes-group-version-kind': { group: '', version: 'v1', kind: 'Namespace' },
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
          name,
          in: 'query',
          schema: { type: name === 'force' ? 'boolean' : 'string' },
        })),
        responses: {},
      },
    },
  },
};

/** Starts the proxy for the API server at `base`; returns its URL. Closed by cleanup(). */
export function startDiscoveryProxy(base, tlsOptions) {
  const upstream = new URL(base);
  const agent = new https.Agent({ ...tlsOptions, keepAlive: true });
  const getJSON = (p) =>
    new Promise((resolve, reject) => {
      https
        .get(new URL(p, upstream), { agent, headers: { accept: 'application/json' } }, (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString();
            if (res.statusCode !== 200) reject(new Error(`GET ${p}: ${res.statusCode} ${body.slice(0, 200)}`));
            else resolve(JSON.parse(body));
          });
        })
        .on('error', reject);
    });

  const rootApiGroups = async () => {
    const crds = await getJSON('/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
    const groups = ['apiextensions.k8s.io', ...new Set(crds.items.map((c) => c.spec.group))];
    const list = [];
    for (const g of groups) {
      try {
        const { kind, apiVersion, ...group } = await getJSON(`/apis/${g}`);
        list.push(group);
      } catch {
        /* group not served yet */
      }
    }
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: list };
  };

  /** The documents the proxy adds, by path; null for everything it forwards. */
  const addedDocument = async (pathname) => {
    switch (pathname) {
      case '/openapi/v3': {
        const root = await getJSON('/openapi/v3');
        root.paths['api/v1'] = { serverRelativeURL: '/openapi/v3/api/v1?hash=conformance-shim' };
        return root;
      }
      case '/openapi/v3/api/v1':
        return CORE_V1_OPENAPI;
      case '/api':
      case '/api/':
        return { kind: 'APIVersions', versions: [], serverAddressByClientCIDRs: [] };
      case '/apis':
      case '/apis/':
        return rootApiGroups();
      default:
        return null;
    }
  };

  const forward = (req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    const up = https.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode, upstreamRes.headers);
        res.flushHeaders(); // watches: the client must see the status before the first event
        upstreamRes.pipe(res);
      },
    );
    up.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`${ERROR_PREFIX}: ${e.message}`);
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  };

  const server = http.createServer(async (req, res) => {
    if (req.method === 'GET') {
      let document;
      try {
        document = await addedDocument(new URL(req.url, 'http://proxy').pathname);
      } catch (e) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`${ERROR_PREFIX}: ${e.message}`);
        return;
      }
      if (document) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(document));
        return;
      }
    }
    forward(req, res);
  });

  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      closeOnCleanup(() => {
        server.closeAllConnections?.();
        server.close();
        agent.destroy();
      });
      resolve(`http://127.0.0.1:${server.address().port}`);
    });
  });
}
