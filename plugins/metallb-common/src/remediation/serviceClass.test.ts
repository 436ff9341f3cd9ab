import type { Service } from '../model/kubernetes';
import {
  setLoadBalancerClassRemediation,
  splitServiceRemediation,
  isValidLoadBalancerClass,
} from './serviceClass';
import {
  annotationsOf,
  liveService,
  parseValidDocuments,
  specOf,
} from './testUtils';

const CHISEL_CLASS = 'chisel-operator.io/chisel-operator-class';

describe('setLoadBalancerClassRemediation', () => {
  it('recreates the Service with the chisel class and without server fields', () => {
    const r = setLoadBalancerClassRemediation(liveService(), {
      controller: 'chisel-operator',
    });
    expect(r.id).toBe('set-load-balancer-class');
    const [svc] = parseValidDocuments(r.yaml);
    expect(specOf(svc).loadBalancerClass).toBe(CHISEL_CLASS);
    expect(specOf(svc).selector).toEqual({ app: 'whoami' });
    expect(specOf(svc).ports).toEqual([
      {
        name: 'http',
        protocol: 'TCP',
        port: 80,
        targetPort: 8080,
        nodePort: 31080,
      },
      {
        name: 'https',
        protocol: 'TCP',
        port: 443,
        targetPort: 'https',
        nodePort: 31443,
      },
    ]);
    const annotations = annotationsOf(svc);
    expect(annotations['chisel-operator.io/exit-node-name']).toBe(
      'my-exit-node',
    );
    expect(annotations['metallb.io/ip-allocated-from-pool']).toBeUndefined();
    expect(
      annotations['kubectl.kubernetes.io/last-applied-configuration'],
    ).toBeUndefined();
    expect(svc.status).toBeUndefined();
  });

  it('orders export, delete, apply and names the Service', () => {
    const r = setLoadBalancerClassRemediation(liveService(), {
      controller: 'chisel-operator',
    });
    const commands = r.commands ?? [];
    expect(commands).toHaveLength(4);
    expect(commands[0]).toMatch(
      /^kubectl get service whoami -n apps -o yaml > apps-whoami\.backup\.yaml$/,
    );
    expect(commands[1]).toBe(
      'kubectl delete service whoami -n apps --wait=true',
    );
    expect(commands[2]).toBe('kubectl apply -f apps-whoami.lb-class.yaml');
    expect(commands[3]).toContain('-n apps');
    expect(r.description).toMatch(/outage/);
    expect(r.description).toMatch(/split-service/);
    expect(r.description).toMatch(/chisel-load-balancer-class/);
  });

  it('drops MetalLB request annotations for a foreign controller but keeps them for MetalLB', () => {
    const svc = liveService({
      annotations: { 'metallb.io/loadBalancerIPs': '192.168.1.240' },
    });
    const foreign = parseValidDocuments(
      setLoadBalancerClassRemediation(svc, { controller: 'chisel-operator' })
        .yaml,
    )[0];
    expect(
      annotationsOf(foreign)['metallb.io/loadBalancerIPs'],
    ).toBeUndefined();
    const own = parseValidDocuments(
      setLoadBalancerClassRemediation(svc, {
        controller: 'metallb',
        loadBalancerClass: 'metallb.io/metallb',
      }).yaml,
    )[0];
    expect(annotationsOf(own)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(specOf(own).loadBalancerClass).toBe('metallb.io/metallb');
  });

  it('drops spec.loadBalancerIP only for controllers that never read it', () => {
    const svc = liveService({ spec: { loadBalancerIP: '192.168.1.240' } });
    const chisel = setLoadBalancerClassRemediation(svc, {
      controller: 'chisel-operator',
    });
    expect(
      specOf(parseValidDocuments(chisel.yaml)[0]).loadBalancerIP,
    ).toBeUndefined();
    expect(chisel.description).toMatch(/does not read it/);
    const kubeVip = setLoadBalancerClassRemediation(svc, {
      controller: 'kube-vip',
    });
    const [out] = parseValidDocuments(kubeVip.yaml);
    expect(specOf(out).loadBalancerIP).toBe('192.168.1.240');
    expect(specOf(out).loadBalancerClass).toBe('kube-vip.io/kube-vip-class');
  });

  it('uses an explicit class for an unknown controller', () => {
    const r = setLoadBalancerClassRemediation(liveService(), {
      controller: 'My LB',
      loadBalancerClass: 'example.com/lb',
    });
    expect(specOf(parseValidDocuments(r.yaml)[0]).loadBalancerClass).toBe(
      'example.com/lb',
    );
    expect(r.title).toContain('My LB');
  });

  it('says nothing needs recreating when the class is already set', () => {
    const r = setLoadBalancerClassRemediation(
      liveService({ spec: { loadBalancerClass: CHISEL_CLASS } }),
      {
        controller: 'chisel-operator',
      },
    );
    expect(r.commands?.some(c => c.includes('delete'))).toBe(false);
    expect(r.title).toMatch(/already/);
  });

  it('gives advice without YAML when the controller has no class', () => {
    const r = setLoadBalancerClassRemediation(liveService(), {
      controller: 'k3s-servicelb',
    });
    expect(r.yaml).toBeUndefined();
    expect(r.description).toContain('k3s-disable-servicelb');
  });

  it('never throws on malformed input', () => {
    const inputs: unknown[] = [
      undefined,
      null,
      {},
      { metadata: 5 },
      { spec: { ports: 'x', selector: [1] } },
      'svc',
    ];
    for (const input of inputs) {
      const r = setLoadBalancerClassRemediation(input as Service, {
        controller: 'chisel-operator',
      });
      const [svc] = parseValidDocuments(r.yaml);
      expect((svc.metadata as Record<string, unknown>).namespace).toBe(
        'default',
      );
      expect(r.description).toMatch(/placeholder/);
    }
  });

  it('validates class names', () => {
    expect(isValidLoadBalancerClass(CHISEL_CLASS)).toBe(true);
    expect(isValidLoadBalancerClass('tailscale')).toBe(true);
    expect(isValidLoadBalancerClass('bad class')).toBe(false);
    expect(isValidLoadBalancerClass(`a/${'x'.repeat(64)}`)).toBe(false);
  });
});

describe('splitServiceRemediation', () => {
  it('emits two Services with the same selector and ports and the right annotations', () => {
    const svc = liveService({ spec: { loadBalancerIP: '192.168.1.240' } });
    const r = splitServiceRemediation(svc, { controller: 'chisel-operator' });
    expect(r.id).toBe('split-service');
    const [chisel, metallb] = parseValidDocuments(r.yaml);
    expect((chisel.metadata as Record<string, unknown>).name).toBe(
      'whoami-chisel',
    );
    expect((metallb.metadata as Record<string, unknown>).name).toBe('whoami');
    expect(specOf(chisel).selector).toEqual(specOf(metallb).selector);
    const strip = (ports: unknown) =>
      (ports as Array<Record<string, unknown>>).map(
        ({ nodePort: _n, ...rest }) => rest,
      );
    expect(strip(specOf(chisel).ports)).toEqual(strip(specOf(metallb).ports));
    // Node ports are unique in the cluster: only the original keeps them.
    expect(
      (specOf(chisel).ports as Array<Record<string, unknown>>).some(
        p => 'nodePort' in p,
      ),
    ).toBe(false);
    expect(
      (specOf(metallb).ports as Array<Record<string, unknown>>)[0].nodePort,
    ).toBe(31080);

    expect(specOf(chisel).loadBalancerClass).toBe(
      'chisel-operator.io/chisel-operator-class',
    );
    expect(specOf(metallb).loadBalancerClass).toBeUndefined();
    expect(annotationsOf(chisel)['chisel-operator.io/exit-node-name']).toBe(
      'my-exit-node',
    );
    expect(
      annotationsOf(metallb)['chisel-operator.io/exit-node-name'],
    ).toBeUndefined();
    expect(annotationsOf(metallb)['metallb.io/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(specOf(metallb).loadBalancerIP).toBeUndefined();
    expect(specOf(chisel).loadBalancerIP).toBeUndefined();
    expect(
      annotationsOf(chisel)['external-dns.alpha.kubernetes.io/hostname'],
    ).toBeUndefined();
    expect(
      annotationsOf(metallb)['external-dns.alpha.kubernetes.io/hostname'],
    ).toBe('whoami.example.com');
    expect(annotationsOf(chisel)['example.com/team']).toBe('web');
    // Argo CD's default tracking label must not mark the copy as part of the app.
    expect(
      (chisel.metadata as Record<string, Record<string, string>>).labels[
        'app.kubernetes.io/instance'
      ],
    ).toBeUndefined();
  });

  it('applies the new Service first, then patches the original in one request', () => {
    const svc = liveService({ spec: { loadBalancerIP: '192.168.1.240' } });
    const commands =
      splitServiceRemediation(svc, { controller: 'chisel-operator' })
        .commands ?? [];
    expect(commands[0]).toBe('kubectl apply -f apps-whoami-chisel.split.yaml');
    const patch = commands.find(c =>
      c.startsWith('kubectl patch service whoami -n apps'),
    );
    expect(patch).toBeDefined();
    const json = JSON.parse(/-p '(.*)'$/.exec(patch ?? '')?.[1] ?? '{}');
    expect(json).toEqual({
      metadata: {
        annotations: {
          'chisel-operator.io/exit-node-name': null,
          'metallb.io/loadBalancerIPs': '192.168.1.240',
        },
      },
      spec: { loadBalancerIP: null },
    });
    expect(commands.indexOf(patch ?? '')).toBeGreaterThan(0);
    expect(commands.some(c => c.includes('delete'))).toBe(false);
  });

  it('uses the old annotation prefix when told to', () => {
    const svc = liveService({ spec: { loadBalancerIP: '192.168.1.240' } });
    const [, metallb] = parseValidDocuments(
      splitServiceRemediation(svc, {
        controller: 'chisel-operator',
        annotationPrefix: 'metallb.universe.tf',
      }).yaml,
    );
    expect(annotationsOf(metallb)['metallb.universe.tf/loadBalancerIPs']).toBe(
      '192.168.1.240',
    );
    expect(
      annotationsOf(metallb)['metallb.io/loadBalancerIPs'],
    ).toBeUndefined();
  });

  it('recreates the original when MetalLB runs with its own class', () => {
    const r = splitServiceRemediation(liveService(), {
      controller: 'chisel-operator',
      metallbLoadBalancerClass: 'metallb.io/metallb',
    });
    const [, metallb] = parseValidDocuments(r.yaml);
    expect(specOf(metallb).loadBalancerClass).toBe('metallb.io/metallb');
    const commands = r.commands ?? [];
    expect(
      commands.indexOf('kubectl delete service whoami -n apps --wait=true'),
    ).toBeGreaterThan(
      commands.indexOf('kubectl apply -f apps-whoami-chisel.split.yaml'),
    );
  });

  it('keeps new names within 63 characters', () => {
    const long = 'a'.repeat(63);
    const r = splitServiceRemediation(liveService({ name: long }), {
      controller: 'chisel-operator',
    });
    const [chisel] = parseValidDocuments(r.yaml);
    const name = String((chisel.metadata as Record<string, unknown>).name);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith('-chisel')).toBe(true);
  });

  it('requests no IP when asked for none', () => {
    const svc = liveService({
      annotations: { 'metallb.io/loadBalancerIPs': '192.168.1.240' },
    });
    const r = splitServiceRemediation(svc, {
      controller: 'chisel-operator',
      metallbIPs: [],
    });
    const [, metallb] = parseValidDocuments(r.yaml);
    expect(
      annotationsOf(metallb)['metallb.io/loadBalancerIPs'],
    ).toBeUndefined();
  });
});
