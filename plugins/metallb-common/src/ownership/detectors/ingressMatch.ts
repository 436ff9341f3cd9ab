import type { Service } from '../../model/kubernetes';
import { ingressOf, str } from '../read';

/** The ingress entries whose ip or hostname is one of `addresses`, as `status.loadBalancer.ingress[i].ip <v>`. @internal */
export function ingressMatching(
  service: Service,
  addresses: ReadonlySet<string>,
): Array<{ field: string; value: string }> {
  const out: Array<{ field: string; value: string }> = [];
  for (const { index, entry } of ingressOf(service)) {
    for (const key of ['ip', 'hostname'] as const) {
      const value = str(entry[key]);
      if (value !== undefined && addresses.has(value)) {
        out.push({
          field: `status.loadBalancer.ingress[${index}].${key}`,
          value,
        });
      }
    }
  }
  return out;
}
