// What the browser tests share: running the binary, starting and stopping `cryptomood serve`,
// loading playwright-core, launching Chromium, and reading what the dashboard's charts drew.
// Used by dashboard.e2e.mjs and live.e2e.mjs (the dashboard from the source tree) and
// tests/package (the dashboard of the installed package). Every helper fails loudly; nothing
// is skipped.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The source tree's web/ folder (the dashboard's files and its node_modules).
export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
// The Chromium the tests drive: CRYPTOMOOD_CHROMIUM, else Debian's.
export const CHROMIUM = process.env.CRYPTOMOOD_CHROMIUM || '/usr/bin/chromium';

// GET `url` with Node's fetch. A kept-alive connection that the server closes as idle just as
// a request goes out fails that request before any answer; HTTP/1.1 lets a client send an
// idempotent request again then (RFC 9112 9.3.1), as browsers do, and Node's fetch does not.
// So a network failure (TypeError, never an HTTP status) is retried once, on a new connection.
export async function getWithRetry(url) {
  try {
    return await fetch(url);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  try {
    return await fetch(url);
  } catch (error) {
    // fetch's own message is only "fetch failed": say what the socket said.
    const cause = error.cause ? ` (${error.cause.code || ''} ${error.cause.message || ''})` : '';
    throw new Error(`GET ${url} failed twice: ${error.message}${cause}`);
  }
}

// Checks that the binary under test and Chromium exist, and loads playwright-core from web/.
export function prepareBrowserTest(binary) {
  assert.ok(binary, 'pass --binary PATH/cryptomood (or set CRYPTOMOOD_BINARY)');
  assert.ok(fs.existsSync(binary), `binary not found: ${binary}`);
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  return loadPlaywright(path.join(WEB_DIR, 'package.json'));
}

// The value after `flag` on the command line, else the environment variable, else ''.
export function commandLineOption(flag, environment) {
  const index = process.argv.indexOf(flag);
  if (index >= 0 && index + 1 < process.argv.length) return process.argv[index + 1];
  return process.env[environment] || '';
}

// Runs `binary args...` to completion and asserts it exited 0.
export function runCryptomood(binary, args) {
  const result = spawnSync(binary, args, { encoding: 'utf8', timeout: 300_000 });
  assert.equal(result.status, 0, `cryptomood ${args.join(' ')} failed:\n${result.stderr}`);
  return result;
}

// Starts `binary serve args...` and resolves with { child, url, stderr() } once it prints
// "cryptomood: serving URL"; rejects on exit or after a minute. The child is killed when this
// process exits.
export function startServe(binary, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    process.on('exit', () => child.exitCode === null && child.kill('SIGKILL'));
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error('serve printed no URL within 60 s:\n' + stderr)), 60_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /cryptomood: serving (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        const url = match[1].endsWith('/') ? match[1] : match[1] + '/';
        resolve({ child, url, stderr: () => stderr });
      }
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before printing its URL:\n${stderr}`));
    });
  });
}

// SIGTERM, then SIGKILL after 10 s; resolves once the server has exited.
export async function stopServe(child) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// Headless Chromium at `executablePath`. Root in a container has no user namespace for
// Chromium's sandbox, hence --no-sandbox.
export function launchHeadless(playwright, executablePath) {
  return playwright.chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}

// Closes what a browser test started, in order, even when an earlier step throws: the
// browser, then the server, then the scratch directory.
export async function tearDown({ browser, server, workDir }) {
  try {
    if (browser) await browser.close();
  } finally {
    await stopServe(server && server.child);
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  }
}

// playwright-core as resolved from `fromFile` (a file whose node_modules hold it).
export function loadPlaywright(fromFile) {
  const require = createRequire(fromFile);
  try {
    return require('playwright-core');
  } catch (error) {
    throw new Error('playwright-core is not installed: run `npm ci` in web/ (' + error.message + ')');
  }
}

// Reads what each chart drew: series count, points and how many canvas pixels are painted.
export async function chartStates(page) {
  return page.evaluate(() => Object.fromEntries(['series', 'window', 'lag'].map((name) => {
    const container = document.getElementById('chart-' + name);
    const canvas = container.querySelector('canvas');
    let painted = 0;
    if (canvas && canvas.width && canvas.height) {
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted += 1;
    }
    return [name, {
      series: Number(container.dataset.series || 0),
      points: Number(container.dataset.points || 0),
      painted,
      width: canvas ? canvas.width : 0,
      height: canvas ? canvas.height : 0,
      xMin: Number(container.dataset.xMin),
      xMax: Number(container.dataset.xMax),
    }];
  })));
}
