import { ApiError, statusBody } from './status';
import { RbacRule } from './types';

export const DEFAULT_USER = 'system:serviceaccount:lb-doctor:scanner';

/** Read access to everything: what a scenario's token gets unless it declares rules. */
export const ALLOW_ALL_READ: RbacRule[] = [
  { verbs: ['get', 'list', 'watch'], apiGroups: ['*'], resources: ['*'] },
];

export interface Attributes {
  verb: string;
  group: string;
  plural: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const matches = (list: string[], value: string) =>
  list.includes('*') || list.includes(value);

export function isAllowed(rules: RbacRule[], a: Attributes): boolean {
  const resource = a.subresource ? `${a.plural}/${a.subresource}` : a.plural;
  return rules.some(
    r =>
      matches(r.verbs, a.verb) &&
      matches(r.apiGroups, a.group) &&
      matches(r.resources, resource),
  );
}

/**
 * The RBAC authorizer's denial, e.g. `services is forbidden: User "u" cannot list resource
 * "services" in API group "" at the cluster scope`.
 */
export function forbidden(user: string, a: Attributes): ApiError {
  const qualified = a.group ? `${a.plural}.${a.group}` : a.plural;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  const resource = a.subresource ? `${a.plural}/${a.subresource}` : a.plural;
  const scope = a.namespace
    ? `in the namespace "${a.namespace}"`
    : 'at the cluster scope';
  const message = `${subject} is forbidden: User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const details: { name?: string; group?: string; kind?: string } = {};
  if (a.name) details.name = a.name;
  if (a.group) details.group = a.group;
  details.kind = a.plural;
  return new ApiError(statusBody(403, 'Forbidden', message, details));
}
