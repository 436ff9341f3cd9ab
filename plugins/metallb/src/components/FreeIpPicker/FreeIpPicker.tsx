import { useEffect, useState } from 'react';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { metallbApiRef, type FreeIps } from '../../api';

/** `ui:options` of the field: where the form keeps the cluster, pool and namespace. @public */
export interface FreeIpPickerUiOptions {
  /** Form field holding the cluster name; default `cluster`. */
  clusterField?: string;
  /** Form field holding the MetalLB pool; default `pool`. */
  poolField?: string;
  /** Form field holding the Service's namespace; default `namespace`. */
  namespaceField?: string;
  /** How many free addresses to offer; default 20, at most 50. */
  limit?: number;
}

/** The field's name in templates: `ui:field: MetallbFreeIpPicker`. @public */
export const FREE_IP_PICKER_NAME = 'MetallbFreeIpPicker';

/** Waits this long after the last keystroke in the pool field before asking the backend. */
const DEBOUNCE_MS = 400;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** What the user needs to know under the select, in words. */
function helperText(options: {
  target?: { cluster: string; pool: string };
  loading: boolean;
  error?: Error;
  free?: FreeIps;
  description?: string;
}): string {
  const { target, loading, error, free, description } = options;
  if (!target) return 'Choose a cluster and a MetalLB pool first';
  if (error) {
    // The backend's own words ("no MetalLB pool …") rather than just the status line.
    const why =
      error instanceof ResponseError ? error.body.error.message : error.message;
    return `Could not list free addresses: ${why}`;
  }
  if (loading || !free) return `Reading free addresses of ${target.pool}…`;
  if (free.ips.length === 0) {
    return `No free address in pool ${free.pool} for namespace ${
      free.namespace
    }${free.reason ? `: ${free.reason}` : ''}`;
  }
  const when = free.snapshotAt
    ? ` (scan of ${new Date(free.snapshotAt).toLocaleString()})`
    : '';
  return `${free.ips.length} free in pool ${free.pool} for namespace ${
    free.namespace
  }${when}${description ? `. ${description}` : ''}`;
}

/**
 * Scaffolder field that offers the free addresses of the pool chosen earlier in the form, so the
 * user picks an address MetalLB will give instead of typing one. Leaving it empty lets MetalLB
 * (or the create action) pick. A native select: keyboard and screen-reader friendly as is.
 * @public
 */
export function FreeIpPicker(
  props: FieldExtensionComponentProps<string, FreeIpPickerUiOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    required,
    disabled,
    rawErrors,
    idSchema,
    formContext,
  } = props;
  const api = useApi(metallbApiRef);
  const uiOptions = uiSchema?.['ui:options'] ?? {};
  const form: Record<string, unknown> =
    (formContext as { formData?: Record<string, unknown> } | undefined)
      ?.formData ?? {};
  const cluster = text(form[uiOptions.clusterField ?? 'cluster']);
  const pool = text(form[uiOptions.poolField ?? 'pool']);
  const namespace = text(form[uiOptions.namespaceField ?? 'namespace']);
  const limit = Math.min(Math.max(uiOptions.limit ?? 20, 1), 50);

  // The pool is often typed: only ask once the user paused.
  const key = cluster && pool ? `${cluster}\n${pool}\n${namespace ?? ''}` : '';
  const [debouncedKey, setDebouncedKey] = useState(key);
  useDebounce(() => setDebouncedKey(key), DEBOUNCE_MS, [key]);
  const target =
    cluster && pool && debouncedKey === key ? { cluster, pool } : undefined;

  const free = useAsync(async () => {
    if (!target) return undefined;
    return api.getFreeIps({ ...target, namespace, limit });
  }, [api, target?.cluster, target?.pool, namespace, limit]);

  // A picked address that is not free in the newly chosen pool would fail the create step.
  const ips = free.value?.ips;
  useEffect(() => {
    if (formData && ips && !ips.includes(formData)) onChange(undefined);
  }, [formData, ips, onChange]);

  const id = idSchema?.$id ?? 'metallb-free-ip';
  const options = ips ?? [];
  return (
    <TextField
      select
      fullWidth
      id={id}
      label={schema.title ?? 'IP address'}
      value={formData && options.includes(formData) ? formData : ''}
      onChange={e => onChange(e.target.value || undefined)}
      required={required}
      disabled={disabled || !target}
      error={Boolean(free.error) || Boolean(rawErrors?.length)}
      helperText={helperText({
        target: cluster && pool ? { cluster, pool } : undefined,
        loading: free.loading || !target,
        error: free.error,
        free: free.value,
        description: schema.description,
      })}
      SelectProps={{ native: true }}
      InputLabelProps={{ shrink: true }}
      margin="normal"
    >
      <option value="">Any free address (MetalLB picks)</option>
      {options.map(ip => (
        <option key={ip} value={ip}>
          {ip}
        </option>
      ))}
    </TextField>
  );
}
