import { invocationDirs } from './io';

describe('invocationDirs', () => {
  const pkg = '/repo/packages/cli';

  it('uses the process cwd outside our yarn script', () => {
    expect(invocationDirs({ INIT_CWD: '/elsewhere' }, '/here', pkg)).toEqual({
      cwd: '/here',
    });
  });

  it("uses the caller's directory when yarn recorded it", () => {
    const env = {
      npm_lifecycle_event: 'lb-doctor',
      INIT_CWD: '/repo/plugins',
      PROJECT_CWD: '/repo',
    };
    expect(invocationDirs(env, pkg, pkg)).toEqual({ cwd: '/repo/plugins' });
  });

  it('prefers the repo root when `yarn workspace` reset INIT_CWD to the package', () => {
    const env = {
      npm_lifecycle_event: 'lb-doctor',
      INIT_CWD: pkg,
      PROJECT_CWD: '/repo',
    };
    expect(invocationDirs(env, pkg, pkg)).toEqual({
      cwd: '/repo',
      fallbackCwd: pkg,
    });
  });
});
