import type { ReactNode } from 'react';
import { Progress } from '@backstage/core-components';
import { BackendErrorPanel } from '../BackendErrorPanel';

/** @public */
export interface AsyncBlockProps<T> {
  state: { value?: T; error?: Error; retry: () => void };
  children: (value: T) => ReactNode;
}

/** One section's loading, error and data states, so each section fails on its own. */
export function AsyncBlock<T>(props: AsyncBlockProps<T>) {
  const { state, children } = props;
  if (state.error) {
    return <BackendErrorPanel error={state.error} onRetry={state.retry} />;
  }
  if (state.value === undefined) {
    return <Progress />;
  }
  return <>{children(state.value)}</>;
}
