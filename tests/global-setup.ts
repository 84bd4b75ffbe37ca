import { execFileSync } from 'node:child_process';

/**
 * Builds the server once before any test file runs: tests that start the real server process
 * (SIGKILL, fault suites) all use dist/server/index.mjs, and building it in each file at the same
 * time could hand one of them a half-written file.
 */
export default function setup(): void {
  execFileSync('npm', ['run', '-s', 'build:server'], { cwd: process.cwd(), stdio: 'inherit' });
}
