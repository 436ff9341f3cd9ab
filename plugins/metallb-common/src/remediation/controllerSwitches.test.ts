import type { Service } from '../model/kubernetes';
import {
  calicoRequestedServicesOnlyRemediation,
  chiselLoadBalancerClassRemediation,
  ciliumRequireLbClassRemediation,
  inletsIgnoreRemediation,
  k3sDisableServicelbRemediation,
  kubeVipClassOnlyRemediation,
  kubeVipIgnoreRemediation,
  purelbClassOnlyRemediation,
  tailscaleNoDefaultLoadBalancerRemediation,
} from './controllerSwitches';
import { annotationsOf, liveService, parseValidDocuments } from './testUtils';

describe('controller switches', () => {
  it('k3s-disable-servicelb', () => {
    const r = k3sDisableServicelbRemediation();
    expect(r.id).toBe('k3s-disable-servicelb');
    expect(r.description).toContain('--disable=servicelb');
    expect(r.description).toContain('disable: [servicelb]');
    expect(r.commands).toContain('sudo systemctl restart k3s');
    expect(
      r.commands?.some(c => c.includes('/etc/rancher/k3s/config.yaml')),
    ).toBe(true);
  });

  it('kube-vip-ignore annotates the Service with a quoted "true"', () => {
    const r = kubeVipIgnoreRemediation(liveService());
    expect(r.id).toBe('kube-vip-ignore');
    const [svc] = parseValidDocuments(r.yaml);
    expect(annotationsOf(svc)['kube-vip.io/ignore']).toBe('true');
    expect(r.yaml).toContain('kube-vip.io/ignore: "true"');
    expect(r.commands?.[0]).toBe(
      `kubectl patch service whoami -n apps --type=merge -p '{"metadata":{"annotations":{"kube-vip.io/ignore":"true"}}}'`,
    );
  });

  it('kube-vip-class-only sets lb_class_only and the cloud provider switch', () => {
    const r = kubeVipClassOnlyRemediation();
    expect(r.commands?.[0]).toBe(
      'kubectl set env daemonset/kube-vip-ds -n kube-system lb_class_only=true',
    );
    expect(r.commands).toContain(
      'kubectl set env deployment/kube-vip-cloud-provider -n kube-system KUBEVIP_ENABLE_LOADBALANCERCLASS=true',
    );
    const custom = kubeVipClassOnlyRemediation({
      daemonSet: { namespace: 'vip', name: 'kv' },
      withCloudProvider: false,
    });
    expect(custom.commands?.[0]).toBe(
      'kubectl set env daemonset/kv -n vip lb_class_only=true',
    );
    expect(custom.commands?.some(c => c.includes('KUBEVIP'))).toBe(false);
  });

  it('chisel-load-balancer-class sets LOAD_BALANCER_CLASS', () => {
    const r = chiselLoadBalancerClassRemediation({
      chiselServices: [liveService()],
    });
    expect(r.id).toBe('chisel-load-balancer-class');
    expect(r.commands?.[0]).toBe(
      'kubectl set env deployment/chisel-operator -n chisel-operator-system LOAD_BALANCER_CLASS=chisel-operator.io/chisel-operator-class',
    );
    expect(r.description).toContain('apps/whoami');
    const helm = chiselLoadBalancerClassRemediation({
      helmRelease: 'chisel',
      helmChart: 'oci://example/chisel',
    });
    expect(helm.commands?.some(c => c.startsWith('helm upgrade chisel'))).toBe(
      true,
    );
  });

  it('cilium-require-lb-class offers both generations of the switch', () => {
    const r = ciliumRequireLbClassRemediation();
    expect(r.commands).toContain(
      'helm upgrade cilium cilium/cilium -n kube-system --reuse-values --set defaultLBServiceIPAM=none',
    );
    expect(r.commands).toContain(
      'helm upgrade cilium cilium/cilium -n kube-system --reuse-values --set lbIPAM.requireLBClass=true',
    );
    expect(
      r.commands?.some(c => c.includes('"default-lb-service-ipam":"none"')),
    ).toBe(true);
    expect(r.description).toContain('--lbipam-require-lb-class');
  });

  it('inlets-ignore annotates with a quoted "0"', () => {
    const svc = liveService({ spec: { externalIPs: ['203.0.113.9'] } });
    const r = inletsIgnoreRemediation(svc);
    const [out] = parseValidDocuments(r.yaml);
    expect(annotationsOf(out)['operator.inlets.dev/manage']).toBe('0');
    expect(r.description).toContain('203.0.113.9');
    expect(r.commands?.some(c => c.includes('whoami-tunnel -n apps'))).toBe(
      true,
    );
  });

  it('purelb, calico and tailscale switches', () => {
    expect(purelbClassOnlyRemediation().commands?.[0]).toBe(
      'kubectl set env deployments --all -n purelb-system DEFAULT_ANNOUNCER-',
    );
    expect(
      purelbClassOnlyRemediation({ namespace: 'purelb' }).commands?.[1],
    ).toContain('-n purelb ');
    const calico = calicoRequestedServicesOnlyRemediation();
    expect(calico.commands?.[0]).toContain(
      '"assignIPs":"RequestedServicesOnly"',
    );
    expect(tailscaleNoDefaultLoadBalancerRemediation().commands?.[0]).toBe(
      'kubectl set env deployment/operator -n tailscale OPERATOR_DEFAULT_LOAD_BALANCER=false',
    );
  });

  it('never throws on malformed Services', () => {
    for (const bad of [undefined, null, 3, { metadata: { name: 7 } }]) {
      const docs = [
        ...parseValidDocuments(
          kubeVipIgnoreRemediation(bad as unknown as Service).yaml,
        ),
        ...parseValidDocuments(
          inletsIgnoreRemediation(bad as unknown as Service).yaml,
        ),
      ];
      expect(
        docs.map(d => (d.metadata as Record<string, unknown>).name),
      ).toEqual(['unnamed-service', 'unnamed-service']);
    }
  });
});
