import type { Service } from '../model/kubernetes';
import { fixSharingKeyRemediation } from './sharing';
import {
  annotationsOf,
  liveService,
  parseValidDocuments,
  specOf,
} from './testUtils';

function dns(
  name: string,
  spec: Record<string, unknown>,
  annotations: Record<string, string> = {},
): Service {
  return liveService({ name, namespace: 'dns', annotations, spec });
}

describe('fixSharingKeyRemediation', () => {
  const tcp = dns(
    'dns-tcp',
    { ports: [{ name: 'dns', protocol: 'TCP', port: 53 }] },
    { 'metallb.io/loadBalancerIPs': '192.168.1.53' },
  );
  const udp = dns('dns-udp', {
    ports: [{ name: 'dns', protocol: 'UDP', port: 53 }],
    loadBalancerIP: '192.168.1.53',
  });

  // MetalLB before 0.12.0 reads no loadBalancerIPs annotation: the request stays in the field.
  it('requests the address through spec.loadBalancerIP for MetalLB before 0.12.0', () => {
    const plain = dns('dns-tcp', {
      ports: [{ name: 'dns', protocol: 'TCP', port: 53 }],
    });
    const r = fixSharingKeyRemediation([udp, plain], {
      sharingKey: 'dns',
      ips: '192.168.1.53',
      annotationPrefix: 'metallb.universe.tf/',
      requestWithField: true,
    });
    const docs = parseValidDocuments(r.yaml);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(annotationsOf(doc)['metallb.universe.tf/allow-shared-ip']).toBe(
        'dns',
      );
      expect(
        Object.keys(annotationsOf(doc)).filter(k =>
          k.endsWith('/loadBalancerIPs'),
        ),
      ).toEqual([]);
      expect(specOf(doc).loadBalancerIP).toBe('192.168.1.53');
    }
    expect(r.commands!.join('\n')).toContain(
      '"spec":{"loadBalancerIP":"192.168.1.53"}',
    );
  });

  it('puts the same key and IP on every Service, one patch each', () => {
    const r = fixSharingKeyRemediation([tcp, udp], { sharingKey: 'dns' });
    expect(r.id).toBe('fix-sharing-key');
    const docs = parseValidDocuments(r.yaml);
    expect(docs).toHaveLength(2);
    for (const doc of docs) {
      expect(annotationsOf(doc)['metallb.io/allow-shared-ip']).toBe('dns');
      expect(annotationsOf(doc)['metallb.io/loadBalancerIPs']).toBe(
        '192.168.1.53',
      );
      expect(specOf(doc).loadBalancerIP).toBeUndefined();
    }
    const patches = (r.commands ?? []).filter(c =>
      c.startsWith('kubectl patch'),
    );
    expect(patches).toHaveLength(2);
    expect(patches.some(p => p.includes('service dns-tcp -n dns'))).toBe(true);
    expect(patches.some(p => p.includes('service dns-udp -n dns'))).toBe(true);
    expect(r.description).toMatch(/Both conditions hold/);
  });

  it('reports ports used twice and mixed traffic policies', () => {
    const a = dns('a', {
      ports: [{ port: 80 }],
      externalTrafficPolicy: 'Local',
    });
    const b = dns('b', {
      ports: [{ port: 80 }],
      externalTrafficPolicy: 'Cluster',
    });
    const r = fixSharingKeyRemediation([a, b], {
      sharingKey: 'k',
      ips: '192.168.1.80',
    });
    expect(r.description).toMatch(/TCP\/80 is used by dns\/a and dns\/b/);
    expect(r.description).toMatch(/dns\/a use Local and dns\/b use Cluster/);
    parseValidDocuments(r.yaml);
  });

  it('reports Local Services with different selectors', () => {
    const a = dns('a', {
      ports: [{ port: 80 }],
      externalTrafficPolicy: 'Local',
      selector: { app: 'a' },
    });
    const b = dns('b', {
      ports: [{ port: 81 }],
      externalTrafficPolicy: 'Local',
      selector: { app: 'b' },
    });
    expect(
      fixSharingKeyRemediation([a, b], { sharingKey: 'k' }).description,
    ).toMatch(/different selectors/);
    const c = dns('c', {
      ports: [{ port: 82 }],
      externalTrafficPolicy: 'Local',
      selector: { app: 'a' },
    });
    expect(
      fixSharingKeyRemediation([a, c], { sharingKey: 'k' }).description,
    ).toMatch(/Both conditions hold/);
  });

  it('derives a key and warns when requests disagree', () => {
    const a = dns(
      'a',
      { ports: [{ port: 80 }] },
      { 'metallb.io/loadBalancerIPs': '192.168.1.1' },
    );
    const b = dns(
      'b',
      { ports: [{ port: 81 }] },
      { 'metallb.io/loadBalancerIPs': '192.168.1.2' },
    );
    const r = fixSharingKeyRemediation([a, b]);
    const docs = parseValidDocuments(r.yaml);
    const key = annotationsOf(docs[0])['metallb.io/allow-shared-ip'];
    expect(key).toMatch(/^shared-/);
    expect(annotationsOf(docs[1])['metallb.io/allow-shared-ip']).toBe(key);
    expect(r.description).toMatch(/request different addresses/);
  });

  it('patches the Service holding the address first', () => {
    const holder = dns(
      'holder',
      { ports: [{ port: 80 }] },
      { 'metallb.io/loadBalancerIPs': '192.168.1.240' },
    );
    const joiner = dns('joiner', { ports: [{ port: 81 }] });
    (joiner as { status?: unknown }).status = {};
    const r = fixSharingKeyRemediation([joiner, holder], { sharingKey: 'web' });
    const patches = (r.commands ?? []).filter(c =>
      c.startsWith('kubectl patch'),
    );
    expect(patches[0]).toContain('service holder -n dns');
  });

  it('uses the legacy prefix when asked and survives junk', () => {
    const r = fixSharingKeyRemediation([tcp, null as unknown as Service, udp], {
      sharingKey: 'dns',
      annotationPrefix: 'metallb.universe.tf',
    });
    const docs = parseValidDocuments(r.yaml);
    expect(docs).toHaveLength(2);
    expect(annotationsOf(docs[0])['metallb.universe.tf/allow-shared-ip']).toBe(
      'dns',
    );
    expect(fixSharingKeyRemediation([]).yaml).toBeUndefined();
    expect(
      fixSharingKeyRemediation(undefined as unknown as Service[]).commands,
    ).toBeUndefined();
  });
});
