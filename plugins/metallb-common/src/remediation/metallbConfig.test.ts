import { parseDocument } from 'yaml';
import type { ConfigMap, Workload } from '../model/kubernetes';
import {
  kubeProxyStrictArpRemediation,
  metallbLbClassRemediation,
  migrateLegacyConfigMapRemediation,
} from './metallbConfig';
import { liveService, parseValidDocuments, specOf } from './testUtils';

function jsonPatchOf(command: string | undefined): unknown {
  const match = /-p '(.*)'$/.exec(command ?? '');
  if (!match) throw new Error(`no patch in ${command}`);
  return JSON.parse(match[1]);
}

describe('metallbLbClassRemediation', () => {
  it('gives the helm command and JSON patches for controller and speaker', () => {
    const r = metallbLbClassRemediation({
      loadBalancerClass: 'metallb.io/metallb',
    });
    expect(r.id).toBe('metallb-lb-class');
    const commands = r.commands ?? [];
    expect(commands).toContain(
      'helm upgrade metallb metallb/metallb -n metallb-system --reuse-values --set loadBalancerClass=metallb.io/metallb',
    );
    const controller = commands.find(c =>
      c.startsWith(
        'kubectl patch deployment controller -n metallb-system --type=json',
      ),
    );
    const speaker = commands.find(c =>
      c.startsWith(
        'kubectl patch daemonset speaker -n metallb-system --type=json',
      ),
    );
    expect(jsonPatchOf(controller)).toEqual([
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/args/-',
        value: '--lb-class=metallb.io/metallb',
      },
    ]);
    expect(jsonPatchOf(speaker)).toEqual(jsonPatchOf(controller));
    expect(r.yaml).toBeUndefined();
    expect(r.description).toMatch(/ignores all others/);
  });

  it('finds the container and replaces an existing flag', () => {
    const speaker: Workload = {
      metadata: { name: 'metallb-speaker', namespace: 'lb' },
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'frr', image: 'quay.io/frrouting/frr' },
              {
                name: 'speaker',
                image: 'quay.io/metallb/speaker:v0.14.9',
                args: ['--port=7472', '--lb-class=old'],
              },
            ],
          },
        },
      },
    };
    const controller: Workload = {
      metadata: { name: 'metallb-controller', namespace: 'lb' },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'controller',
                image: 'quay.io/metallb/controller:v0.14.9',
              },
            ],
          },
        },
      },
    };
    const commands =
      metallbLbClassRemediation({
        loadBalancerClass: 'x.io/lb',
        speaker,
        controller,
      }).commands ?? [];
    expect(
      jsonPatchOf(
        commands.find(c => c.includes('daemonset metallb-speaker -n lb')),
      ),
    ).toEqual([
      {
        op: 'replace',
        path: '/spec/template/spec/containers/1/args/1',
        value: '--lb-class=x.io/lb',
      },
    ]);
    expect(
      jsonPatchOf(
        commands.find(c => c.includes('deployment metallb-controller -n lb')),
      ),
    ).toEqual([
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/args',
        value: ['--lb-class=x.io/lb'],
      },
    ]);
  });

  it('recreates the listed class-less Services with the class', () => {
    const r = metallbLbClassRemediation({
      loadBalancerClass: 'metallb.io/metallb',
      classlessServices: [
        liveService(),
        liveService({ name: 'other', namespace: 'web' }),
      ],
    });
    const docs = parseValidDocuments(r.yaml);
    expect(docs).toHaveLength(2);
    for (const doc of docs)
      expect(specOf(doc).loadBalancerClass).toBe('metallb.io/metallb');
    const commands = r.commands ?? [];
    const helm = commands.findIndex(c => c.startsWith('helm upgrade'));
    const del = commands.indexOf(
      'kubectl delete service other -n web --wait=true',
    );
    expect(del).toBeGreaterThan(helm);
    expect(
      commands.indexOf('kubectl apply -f metallb-class-services.yaml'),
    ).toBeGreaterThan(del);
    expect(r.description).toMatch(/apps\/whoami and web\/other/);
  });

  it('handles a missing class', () => {
    expect(
      metallbLbClassRemediation({ loadBalancerClass: '' }).commands,
    ).toBeUndefined();
    expect(
      metallbLbClassRemediation(
        undefined as unknown as { loadBalancerClass: string },
      ).id,
    ).toBe('metallb-lb-class');
  });
});

describe('kubeProxyStrictArpRemediation', () => {
  const configMap = (conf: string): ConfigMap => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'kube-proxy',
      namespace: 'kube-system',
      resourceVersion: '1',
      uid: 'u',
    },
    data: { 'config.conf': conf, kubeconfig: 'apiVersion: v1\nkind: Config\n' },
  });

  it("shows MetalLB's documented sed pipeline without a ConfigMap", () => {
    const r = kubeProxyStrictArpRemediation();
    expect(r.id).toBe('kube-proxy-strict-arp');
    expect(r.commands).toContain(
      'kubectl get configmap kube-proxy -n kube-system -o yaml | sed -e "s/strictARP: false/strictARP: true/" | kubectl apply -f - -n kube-system',
    );
    expect(
      r.commands?.some(c =>
        c.startsWith('kubectl rollout restart daemonset/kube-proxy'),
      ),
    ).toBe(true);
    expect(r.yaml).toBeUndefined();
  });

  it('emits the fixed ConfigMap for IPVS mode', () => {
    const r = kubeProxyStrictArpRemediation({
      configMap: configMap(
        'mode: ipvs\nipvs:\n  strictARP: false\n  scheduler: rr\n',
      ),
    });
    const [cm] = parseValidDocuments(r.yaml);
    const conf = parseDocument(
      String((cm.data as Record<string, string>)['config.conf']),
    ).toJS();
    expect(conf.ipvs).toEqual({ strictARP: true, scheduler: 'rr' });
    expect(
      (cm.metadata as Record<string, unknown>).resourceVersion,
    ).toBeUndefined();
    expect(r.commands?.some(c => c.includes('sed'))).toBe(true);
  });

  it('applies the YAML when there is no strictARP line to flip', () => {
    const r = kubeProxyStrictArpRemediation({
      configMap: configMap('mode: "ipvs"\n'),
    });
    const [cm] = parseValidDocuments(r.yaml);
    expect(
      parseDocument(
        String((cm.data as Record<string, string>)['config.conf']),
      ).toJS().ipvs.strictARP,
    ).toBe(true);
    expect(r.commands?.[1]).toBe('kubectl apply -f kube-proxy-strict-arp.yaml');
  });

  it('says nothing is needed outside IPVS mode or when already set', () => {
    expect(
      kubeProxyStrictArpRemediation({
        configMap: configMap('mode: iptables\n'),
      }).commands,
    ).toBeUndefined();
    expect(
      kubeProxyStrictArpRemediation({
        configMap: configMap('mode: ipvs\nipvs: {strictARP: true}\n'),
      }).title,
    ).toMatch(/already/);
    expect(
      kubeProxyStrictArpRemediation({ configMap: configMap(': : [') }).id,
    ).toBe('kube-proxy-strict-arp');
  });
});

describe('migrateLegacyConfigMapRemediation', () => {
  it('writes pools and advertisements in metallb-system', () => {
    const r = migrateLegacyConfigMapRemediation({
      pools: [
        {
          name: 'lan',
          protocol: 'layer2',
          addresses: ['192.168.1.240-192.168.1.250'],
          autoAssign: false,
        },
        {
          name: 'public_v4',
          protocol: 'bgp',
          addresses: ['198.51.100.0/24'],
          avoidBuggyIPs: true,
          bgpAdvertisements: [
            {
              aggregationLength: 32,
              localPref: 100,
              communities: ['no-export', '64512:1'],
            },
            { aggregationLength: 24 },
          ],
        },
      ],
      bgpCommunities: { 'no-export': '65535:65281' },
    });
    expect(r.id).toBe('migrate-legacy-configmap');
    const docs = parseValidDocuments(r.yaml);
    const kinds = docs.map(
      d =>
        `${String(d.kind)}/${String(
          (d.metadata as Record<string, unknown>).name,
        )}`,
    );
    expect(kinds).toEqual([
      'IPAddressPool/lan',
      'IPAddressPool/public-v4',
      'L2Advertisement/lan-l2',
      'BGPAdvertisement/public-v4-bgp',
      'BGPAdvertisement/public-v4-bgp-2',
    ]);
    for (const d of docs)
      expect((d.metadata as Record<string, unknown>).namespace).toBe(
        'metallb-system',
      );
    expect(specOf(docs[0])).toEqual({
      addresses: ['192.168.1.240-192.168.1.250'],
      autoAssign: false,
      avoidBuggyIPs: false,
    });
    expect(specOf(docs[1]).avoidBuggyIPs).toBe(true);
    expect(specOf(docs[2]).ipAddressPools).toEqual(['lan']);
    expect(specOf(docs[3])).toEqual({
      ipAddressPools: ['public-v4'],
      aggregationLength: 32,
      localPref: 100,
      communities: ['65535:65281', '64512:1'],
    });
    expect(r.description).toMatch(/"public_v4" is named "public-v4"/);
    const commands = r.commands ?? [];
    expect(
      commands.indexOf('kubectl apply -f metallb-pools.yaml'),
    ).toBeLessThan(
      commands.indexOf('kubectl delete configmap config -n metallb-system'),
    );
  });

  it('accepts kebab-case fields, a custom namespace, and skips unusable pools', () => {
    const r = migrateLegacyConfigMapRemediation({
      namespace: 'lb',
      pools: [
        {
          name: 'a',
          protocol: 'layer2',
          addresses: ['10.0.0.0/30'],
          'auto-assign': false,
        } as never,
        { name: 'empty', protocol: 'layer2', addresses: [] },
        { name: 'odd', protocol: 'magic', addresses: ['10.0.1.0/30'] },
        null as never,
      ],
    });
    const docs = parseValidDocuments(r.yaml);
    expect(docs.map(d => d.kind)).toEqual([
      'IPAddressPool',
      'IPAddressPool',
      'L2Advertisement',
    ]);
    expect(specOf(docs[0]).autoAssign).toBe(false);
    expect((docs[0].metadata as Record<string, unknown>).namespace).toBe('lb');
    expect(r.description).toMatch(/"empty" has no addresses/);
    expect(r.description).toMatch(/protocol "magic"/);
  });

  it('returns advice without YAML when nothing can be converted', () => {
    expect(
      migrateLegacyConfigMapRemediation({ pools: [] }).yaml,
    ).toBeUndefined();
    expect(
      migrateLegacyConfigMapRemediation(undefined as never).yaml,
    ).toBeUndefined();
  });
});
