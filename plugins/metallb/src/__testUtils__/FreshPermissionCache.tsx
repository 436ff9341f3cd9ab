import type { ReactNode } from 'react';
// usePermission caches decisions in swr's global cache, keyed by the permission only; without a
// fresh cache per render, one test's "allow" would answer the next test's "deny".
import { SWRConfig } from 'swr';

/** Gives the wrapped tree its own permission decision cache. */
export function FreshPermissionCache(props: { children: ReactNode }) {
  return (
    <SWRConfig value={{ provider: () => new Map() }}>
      {props.children}
    </SWRConfig>
  );
}
