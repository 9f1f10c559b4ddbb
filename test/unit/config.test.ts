import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interpolate, loadConfig, resolveAuthor, resolveConnection, validateConfig } from '../../src/config/config.js';
import { VsgError } from '../../src/errors.js';

const dirs: string[] = [];
function tmp(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'vsg-config-'));
  dirs.push(d);
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(d, f), text);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('connection precedence', () => {
  const cfg = { url: 'postgres://rc/db' };
  it('--url wins over VSG_DATABASE_URL and .vsgrc', () => {
    expect(resolveConnection({ url: 'postgres://flag/db' }, { VSG_DATABASE_URL: 'postgres://env/db' }, cfg, '/w')).toMatchObject({ url: 'postgres://flag/db', source: '--url' });
  });
  it('VSG_DATABASE_URL wins over .vsgrc', () => {
    expect(resolveConnection({}, { VSG_DATABASE_URL: 'postgres://env/db' }, cfg, '/w')).toMatchObject({ url: 'postgres://env/db', source: 'VSG_DATABASE_URL' });
  });
  it('.vsgrc is used when nothing else is set', () => {
    expect(resolveConnection({}, {}, cfg, '/w')).toMatchObject({ url: 'postgres://rc/db', source: '.vsgrc' });
  });
  it('falls back to the embedded database in .vsg/', () => {
    expect(resolveConnection({}, {}, {}, '/w')).toEqual({ kind: 'pglite', dir: path.resolve('/w/.vsg'), source: 'embedded' });
  });
});

describe('author precedence', () => {
  it('--author, then VSG_AUTHOR, then .vsgrc, then the OS user', () => {
    expect(resolveAuthor({ author: 'flag' }, { VSG_AUTHOR: 'env' }, { author: 'rc' })).toBe('flag');
    expect(resolveAuthor({}, { VSG_AUTHOR: 'env' }, { author: 'rc' })).toBe('env');
    expect(resolveAuthor({}, {}, { author: 'rc' })).toBe('rc');
    expect(resolveAuthor({}, {}, {})).toBe(os.userInfo().username);
  });
});

describe('.vsgrc', () => {
  it('interpolates ${VAR} from the environment', () => {
    expect(interpolate('postgres://u:${PW}@h/db', { PW: 's3cr3t' })).toBe('postgres://u:s3cr3t@h/db');
  });
  it('an unset ${VAR} is an error, never an empty password', () => {
    const e = (() => {
      try {
        interpolate('postgres://u:${NOPE}@h/db', {});
      } catch (err) {
        return err as VsgError;
      }
    })();
    expect(e?.code).toBe('E_CONFIG');
    expect(e?.exitCode).toBe(5);
  });
  it('collects every problem into one error', () => {
    try {
      validateConfig({ url: 5, colour: 'x' }, {}, '.vsgrc');
      expect.unreachable();
    } catch (e) {
      expect((e as VsgError).code).toBe('E_CONFIG');
      expect((e as VsgError).message.split('\n')).toEqual([".vsgrc: 2 problems", ".vsgrc: 'url' must be a string", ".vsgrc: unknown key 'colour' (vsg reads url, author, dir)"]);
    }
  });
  it('says where each problem is: file:line:column, every one, once', async () => {
    const d = tmp({ '.vsgrc': 'url: 5\ncolour: x\nauthor: "${VSG_T_NOPE}"\n' });
    const e = await loadConfig(d, {}).catch((x: VsgError) => x);
    expect(e).toMatchObject({ code: 'E_CONFIG', exitCode: 5 });
    expect((e as VsgError).message).toBe(
      ".vsgrc: 3 problems\n.vsgrc:1:6: 'url' must be a string\n.vsgrc:2:1: unknown key 'colour' (vsg reads url, author, dir)\n.vsgrc:3:10: environment variable 'VSG_T_NOPE' is not set",
    );
  });
  it('reads a .vsgrc that looks like JSON as strict JSON: a trailing comma is an error at the comma', async () => {
    const d = tmp({ '.vsgrc': '{\n  "url": "postgres://a/b",\n  "author": "rc",\n}\n' });
    await expect(loadConfig(d, {})).rejects.toMatchObject({ code: 'E_CONFIG', exitCode: 5, message: ".vsgrc:3:17: unexpected ',' before '}'" });
    const ok = tmp({ '.vsgrc': '  {"url": "postgres://a/b"}' });
    expect(await loadConfig(ok, {})).toMatchObject({ url: 'postgres://a/b' });
  });
  it('gives the position of a YAML or JSON syntax error, the path once', async () => {
    const y = tmp({ '.vsgrc.yaml': 'url: [\nauthor: x\n' });
    const ye = (await loadConfig(y, {}).catch((x: VsgError) => x)) as VsgError;
    expect(ye.message).toMatch(/^\.vsgrc\.yaml:3:1: [^\n]+$/);
    const j = tmp({ '.vsgrc.json': '{"url": ' });
    await expect(loadConfig(j, {})).rejects.toMatchObject({ message: '.vsgrc.json:1:9: unexpected end of input' });
  });
  it.each([
    ['.vsgrc', '{"url": "postgres://a/b", "author": "rc"}'],
    ['.vsgrc.json', '{"url": "postgres://a/b", "author": "rc"}'],
    ['.vsgrc.yaml', 'url: postgres://a/b\nauthor: rc\n'],
    ['package.json', '{"name": "x", "vsg": {"url": "postgres://a/b", "author": "rc"}}'],
  ])('is found as %s', async (file, text) => {
    const d = tmp({ [file]: text });
    expect(await loadConfig(d, {})).toMatchObject({ url: 'postgres://a/b', author: 'rc' });
  });
  it('a malformed file is a configuration error (exit 5)', async () => {
    const d = tmp({ '.vsgrc.json': '{"url": ' });
    await expect(loadConfig(d, {})).rejects.toMatchObject({ code: 'E_CONFIG', exitCode: 5 });
  });
});
