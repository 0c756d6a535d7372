import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { generate, RULES_FILE } from '../../scripts/generated.js';
import { SETTINGS } from '../../src/config.js';
import { findBinary, run } from '../support/prometheus.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const k8sDir = join(root, 'deploy/kubernetes');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: unknown;
}
interface Probe {
  httpGet?: { path: string; port: string | number };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
}
interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Deployment extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
        containers: Container[];
        volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
      };
    };
  };
}

const manifestFiles = readdirSync(k8sDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort();

function load(file: string): Manifest[] {
  const docs = parseAllDocuments(readFileSync(join(k8sDir, file), 'utf8'));
  return docs.map((doc) => {
    // Thrown rather than asserted: this runs while the file is collected, outside any test.
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    return doc.toJS() as Manifest;
  });
}
const manifests = new Map(manifestFiles.map((f) => [f, load(f)]));
function only<T extends Manifest>(kind: string): T {
  const found = [...manifests.values()].flat().filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0] as T;
}

describe('PrometheusRule', () => {
  it('is exactly what npm run generate writes from the rules file', () => {
    const result = generate(read(RULES_FILE));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const generated = result.files.find((f) => f.path === 'deploy/kubernetes/prometheusrule.yaml');
    expect(read('deploy/kubernetes/prometheusrule.yaml')).toBe(generated?.text);
  });

  it('carries the same groups as alerts/orq-api-keys.rules.yml', () => {
    const rule = only<Manifest & { spec: { groups: unknown } }>('PrometheusRule');
    expect(rule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(rule.spec.groups).toEqual((parse(read('alerts/orq-api-keys.rules.yml')) as { groups: unknown }).groups);
  });
});

describe('Kubernetes manifests', () => {
  it('has every piece', () => {
    expect(manifestFiles).toEqual(
      expect.arrayContaining(['deployment.yaml', 'service.yaml', 'secret.yaml', 'servicemonitor.yaml', 'prometheusrule.yaml']),
    );
  });

  it('parse, are complete and namespace-agnostic', () => {
    for (const [file, docs] of manifests) {
      for (const m of docs) {
        expect(m.apiVersion, file).toBeTruthy();
        expect(m.kind, file).toBeTruthy();
        expect(m.metadata.name, file).toBe('orq-api-keys-exporter');
        expect(m.metadata.namespace, file).toBeUndefined();
      }
    }
  });

  it('kustomization lists every manifest except the example Secret', () => {
    const k = parse(read('deploy/kubernetes/kustomization.yaml')) as { resources: string[]; namespace?: string };
    expect(k.namespace).toBeUndefined();
    expect([...k.resources].sort()).toEqual(manifestFiles.filter((f) => f !== 'secret.yaml'));
    for (const r of k.resources) expect(existsSync(join(k8sDir, r)), r).toBe(true);
  });

  describe('Deployment', () => {
    const deployment = only<Deployment>('Deployment');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];

    it('runs as non-root 10001 with a read-only root and no capabilities', () => {
      expect(pod.containers).toHaveLength(1);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
      expect(container?.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(container?.securityContext?.capabilities?.add).toBeUndefined();
    });

    it('reads the token from the Secret as a file, never from an env value', () => {
      const env = new Map((container?.env ?? []).map((e) => [e.name, e.value]));
      expect(env.get('ORQ_API_KEY_FILE')).toBe('/var/run/secrets/orq/token');
      expect(env.has('ORQ_API_KEY')).toBe(false);
      expect(env.get('ORQ_WORKSPACE')).toBeTruthy();
      const mount = container?.volumeMounts?.find((m) => m.mountPath === '/var/run/secrets/orq');
      expect(mount?.readOnly).toBe(true);
      const volume = pod.volumes?.find((v) => v.name === mount?.name);
      const secret = only('Secret');
      expect(volume?.secret?.secretName).toBe(secret.metadata.name);
      expect(volume?.secret?.items).toEqual([{ key: 'token', path: 'token' }]);
      expect(Object.keys((secret as Manifest & { stringData: Record<string, string> }).stringData)).toEqual(['token']);
    });

    it('only sets settings the exporter knows', () => {
      const known = new Set<string>(SETTINGS.map((s) => s.env));
      for (const e of container?.env ?? []) expect(known, e.name).toContain(e.name);
    });

    it('exposes 9877 as metrics and probes /healthz and /readyz with the probe the image ships', () => {
      expect(container?.ports).toEqual([expect.objectContaining({ name: 'metrics', containerPort: 9877 })]);
      // An httpGet probe gets a 401 once basic auth is on, and plain HTTP once TLS is: the
      // shipped probe handles both (test/http/probe.test.ts).
      for (const [probe, path] of [[container?.livenessProbe, '/healthz'], [container?.readinessProbe, '/readyz']] as const) {
        expect(probe?.httpGet, path).toBeUndefined();
        const command = probe?.exec?.command ?? [];
        expect(command, path).toEqual(['node', '/app/dist/src/http/probe-cli.js', path]);
        // /app/dist/src/... is compiled from src/... and copied into the image's /app (Dockerfile).
        expect(existsSync(join(root, command[1]!.replace(/^\/app\/dist\//, '').replace(/\.js$/, '.ts'))), command[1]).toBe(true);
      }
      expect(read('Dockerfile')).toMatch(/^WORKDIR \/app$/m);
      expect(read('Dockerfile')).toMatch(/^COPY --from=build \/app\/dist\/src \.\/dist\/src$/m);
      expect(container?.resources?.requests?.memory).toBeTruthy();
      expect(container?.resources?.requests?.cpu).toBeTruthy();
      expect(container?.resources?.limits?.memory).toBeTruthy();
    });

    it('is selected by its own pods, the Service and the ServiceMonitor', () => {
      const podLabels = deployment.spec.template.metadata.labels;
      expect(podLabels).toMatchObject(deployment.spec.selector.matchLabels);
      const service = only<Manifest & { spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] } }>('Service');
      expect(podLabels).toMatchObject(service.spec.selector);
      expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'metrics', port: 9877, targetPort: 'metrics' })]);
      const monitor = only<
        Manifest & { spec: { selector: { matchLabels: Record<string, string> }; endpoints: Record<string, string>[] } }
      >('ServiceMonitor');
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
      expect(monitor.spec.endpoints).toEqual([
        expect.objectContaining({ port: 'metrics', path: '/metrics', interval: '60s', scrapeTimeout: '30s' }),
      ]);
    });
  });
});

describe('Prometheus scrape config', () => {
  const config = parse(read('deploy/prometheus/prometheus.yml')) as {
    rule_files: string[];
    scrape_configs: { job_name: string; scrape_interval: string; scrape_timeout: string }[];
  };

  it('scrapes the exporter every 60s with a 30s timeout and loads the shipped rules', () => {
    expect(config.scrape_configs).toEqual([
      expect.objectContaining({ job_name: 'orq-api-keys-exporter', scrape_interval: '60s', scrape_timeout: '30s' }),
    ]);
    expect(config.rule_files.map((f) => resolve(root, 'deploy/prometheus', f))).toEqual([
      join(root, 'alerts/orq-api-keys.rules.yml'),
    ]);
  });

  it('uses the job name the down alert matches, as the Service name does for the ServiceMonitor', () => {
    const rules = read('alerts/orq-api-keys.rules.yml');
    const matcher = /up\{job=~"([^"]+)"\}/.exec(rules)?.[1];
    expect(matcher).toBeDefined();
    const jobRe = new RegExp(`^(?:${matcher})$`);
    expect(config.scrape_configs[0]?.job_name).toMatch(jobRe);
    expect(only('Service').metadata.name).toMatch(jobRe);
  });

  const promtool = findBinary('promtool');
  it.skipIf(promtool.path === undefined)(
    `passes promtool check config${promtool.missing === undefined ? '' : ` (skipped: ${promtool.missing})`}`,
    async () => {
      const result = await run(promtool.path ?? 'promtool', ['check', 'config', join(root, 'deploy/prometheus/prometheus.yml')]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('SUCCESS: 1 rule files found');
    },
  );
});

describe('Grafana provisioning', () => {
  it('defines a Prometheus datasource', () => {
    const ds = parse(read('deploy/grafana/provisioning/datasources/prometheus.yaml')) as {
      apiVersion: number;
      datasources: { type: string; url: string; jsonData?: { timeInterval?: string } }[];
    };
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toEqual([expect.objectContaining({ type: 'prometheus' })]);
    expect(ds.datasources[0]?.url).toMatch(/^https?:\/\//);
    // Matches the 60s scrape interval so $__rate_interval covers enough samples.
    expect(ds.datasources[0]?.jsonData?.timeInterval).toBe('60s');
  });

  it('provisions dashboards from a file path', () => {
    const p = parse(read('deploy/grafana/provisioning/dashboards/orq.yaml')) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    expect(p.apiVersion).toBe(1);
    expect(p.providers).toEqual([expect.objectContaining({ type: 'file' })]);
    expect(p.providers[0]?.options.path).toMatch(/^\//);
  });

  it('README shows each piece', () => {
    const readme = read('deploy/README.md');
    for (const piece of [
      'prometheus/prometheus.yml',
      'kubectl',
      'servicemonitor.yaml',
      'prometheusrule.yaml',
      'npm run generate',
      'provisioning/datasources/prometheus.yaml',
      'provisioning/dashboards/orq.yaml',
    ]) {
      expect(readme, piece).toContain(piece);
    }
  });
});
