/**
 * Input the CLI cannot use (missing file, bad YAML, no objects): exit status 2 with this one-line
 * message, which names the file and the problem.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
