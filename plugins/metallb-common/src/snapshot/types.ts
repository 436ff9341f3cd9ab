/**
 * Where an object was read from, so that reports (SARIF, warnings) can point back at the input.
 * @public
 */
export interface ManifestLocation {
  /** The input's name as the user gave it: a file path, `<stdin>`, or a caller-chosen label. */
  source: string;
  /** 1-based number of the YAML document within the source (JSON text is one document). */
  document: number;
  /** 1-based line where the object starts, when known. */
  line?: number;
}

/**
 * Something wrong with the input that is not a finding about the cluster.
 *
 * `error` means part of the input could not be read at all (syntax error, resource limit), so any
 * analysis of it would be incomplete; `warning` means an object was read but ignored or is
 * unsupported.
 * @public
 */
export interface InputProblem {
  severity: 'error' | 'warning';
  source?: string;
  document?: number;
  line?: number;
  message: string;
}

/** Renders a problem as one line: `source: document 2, line 14: message`. @public */
export function formatInputProblem(problem: InputProblem): string {
  const where: string[] = [];
  if (problem.document !== undefined)
    where.push(`document ${problem.document}`);
  if (problem.line !== undefined) where.push(`line ${problem.line}`);
  const prefix = [problem.source, where.join(', ')].filter(Boolean).join(': ');
  return prefix ? `${prefix}: ${problem.message}` : problem.message;
}
