import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Invalid YAML is written at test time rather than kept as a fixture file: `prettier --check .`
 * at the repo root would fail on it, and the root .prettierignore is not ours to change.
 */
export const BAD_YAML = `apiVersion: v1
kind: Service
metadata:
  name: ok
---
apiVersion: v1
kind: Service
metadata:
  name: broken
  labels: [unclosed
`;

/** Creates a temporary folder holding `bad.yaml`; returns the folder. */
export function writeBadYaml(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lb-doctor-'));
  fs.writeFileSync(path.join(dir, 'bad.yaml'), BAD_YAML);
  return dir;
}
