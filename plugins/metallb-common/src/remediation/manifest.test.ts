import type { Service } from '../model/kubernetes';
import {
  metallbAnnotationPrefixForVersion,
  normalizeMetallbAnnotationPrefix,
} from './annotations';
import {
  cleanServiceManifest,
  describeManagement,
  describeManifestFallbacks,
  serviceIdentity,
} from './manifest';
import { serviceErrors, liveService } from './testUtils';
import { ipFamily, shellQuote, toYaml } from './util';
import { parse } from 'yaml';

describe('cleanServiceManifest', () => {
  it('removes server-populated fields and keeps the desired state', () => {
    const live = liveService({
      spec: {
        healthCheckNodePort: 32000,
        sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      },
    });
    const m = cleanServiceManifest(live);
    expect(serviceErrors(m as unknown as Record<string, unknown>)).toEqual([]);
    expect(m.metadata).not.toHaveProperty('uid');
    expect(m.metadata).not.toHaveProperty('resourceVersion');
    expect(m.metadata).not.toHaveProperty('creationTimestamp');
    expect(m.metadata).not.toHaveProperty('managedFields');
    expect(m.metadata).not.toHaveProperty('finalizers');
    expect(m).not.toHaveProperty('status');
    expect(m.spec).not.toHaveProperty('clusterIP');
    expect(m.spec).not.toHaveProperty('clusterIPs');
    expect(m.spec).not.toHaveProperty('healthCheckNodePort');
    expect(m.metadata.annotations).not.toHaveProperty(
      'kubectl.kubernetes.io/last-applied-configuration',
    );
    expect(m.metadata.annotations).not.toHaveProperty(
      'metallb.io/ip-allocated-from-pool',
    );
    expect(m.spec.sessionAffinityConfig).toEqual({
      clientIP: { timeoutSeconds: 60 },
    });
    expect(m.spec.ipFamilies).toEqual(['IPv4']);
    expect((m.spec.ports[0] as Record<string, unknown>).nodePort).toBe(31080);
  });

  it('drops node ports and ownership marks on request', () => {
    const m = cleanServiceManifest(
      liveService({
        annotations: {
          'meta.helm.sh/release-name': 'web',
          'argocd.argoproj.io/tracking-id': 'x',
        },
      }),
      { keepNodePorts: false, dropOwnershipMarks: true, name: 'copy' },
    );
    expect(m.metadata.name).toBe('copy');
    expect(m.spec.ports.some(p => 'nodePort' in p)).toBe(false);
    expect(m.metadata.annotations).not.toHaveProperty(
      'meta.helm.sh/release-name',
    );
    expect(m.metadata.annotations).not.toHaveProperty(
      'argocd.argoproj.io/tracking-id',
    );
    expect(m.metadata.labels).not.toHaveProperty('app.kubernetes.io/instance');
  });

  it('repairs malformed ports and maps', () => {
    const m = cleanServiceManifest({
      metadata: {
        name: 'x',
        labels: { a: 1, b: true, c: null } as unknown as Record<string, string>,
      },
      spec: {
        ports: [
          { port: '80' },
          { port: 80, protocol: 'udp' },
          { port: 0 },
          'junk',
        ] as unknown as [],
        selector: null as never,
      },
    } as Service);
    expect(m.metadata.labels).toEqual({ a: '1', b: 'true' });
    expect(m.spec.ports).toEqual([
      { name: 'tcp-80', protocol: 'TCP', port: 80 },
      { name: 'udp-80', protocol: 'UDP', port: 80 },
    ]);
    expect(m.spec.selector).toEqual({});
    expect(serviceErrors(m as unknown as Record<string, unknown>)).toEqual([]);
  });

  it('describes fallbacks and management', () => {
    expect(describeManifestFallbacks(liveService())).toEqual([]);
    expect(describeManifestFallbacks({} as Service)).toHaveLength(3);
    expect(serviceIdentity(undefined)).toEqual({
      name: 'unnamed-service',
      namespace: 'default',
      hasName: false,
    });
    expect(
      describeManagement(
        liveService({ annotations: { 'meta.helm.sh/release-name': 'web' } }),
      ),
    ).toMatch(/Helm release "web"/);
    expect(describeManagement(liveService())).toBe('');
  });
});

describe('helpers', () => {
  it('picks the annotation prefix from the version', () => {
    expect(metallbAnnotationPrefixForVersion('0.14.8')).toBe(
      'metallb.universe.tf/',
    );
    expect(metallbAnnotationPrefixForVersion('v0.13.12')).toBe(
      'metallb.universe.tf/',
    );
    expect(metallbAnnotationPrefixForVersion('0.14.9')).toBe('metallb.io/');
    expect(metallbAnnotationPrefixForVersion('v0.15.2')).toBe('metallb.io/');
    expect(metallbAnnotationPrefixForVersion(null)).toBe('metallb.io/');
    expect(normalizeMetallbAnnotationPrefix('metallb.universe.tf')).toBe(
      'metallb.universe.tf/',
    );
    expect(normalizeMetallbAnnotationPrefix(42)).toBe('metallb.io/');
  });

  it('quotes shell words only when needed', () => {
    expect(shellQuote('whoami')).toBe('whoami');
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
  });

  it('recognises IP families', () => {
    expect(ipFamily('192.168.1.1')).toBe('IPv4');
    expect(ipFamily('2001:db8::1')).toBe('IPv6');
    expect(ipFamily('::ffff:10.0.0.1')).toBe('IPv6');
    expect(ipFamily('::')).toBe('IPv6');
    expect(ipFamily('256.1.1.1')).toBeNull();
    expect(ipFamily('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(ipFamily('abc')).toBeNull();
  });

  it('quotes values YAML 1.1 would read as non-strings', () => {
    const text = toYaml([
      { object: { a: 'on', b: 'yes', c: '0755', d: '1:20', e: 'true' } },
    ]);
    expect(parse(text, { version: '1.1' })).toEqual({
      a: 'on',
      b: 'yes',
      c: '0755',
      d: '1:20',
      e: 'true',
    });
  });
});
