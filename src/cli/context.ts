/**
 * What every command gets: global flags, configuration, the repository, the
 * style, and output that pages on a terminal and survives a closed pipe.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { Command } from 'commander';
import { openRepository, type Repository } from '../api/repository.js';
import { embeddedExists, noRepository } from '../db/embedded.js';
import { loadConfig, resolveAuthor, resolveConnection, type VsgConfig } from '../config/config.js';
import { ExitCode, VsgError } from '../errors.js';
import { makeStyle, wantColor, type Style } from '../render/style.js';

export interface Globals {
  url?: string;
  color?: boolean;
  pager?: boolean;
  verbose?: boolean;
}

export class Cli {
  private config?: VsgConfig;
  private opened: Repository[] = [];
  style: Style = makeStyle(false);
  verbose = false;
  /** called with each repository opened (main arms its Ctrl-C handling there) */
  onOpen?: (repo: Repository) => void;
  /** a pager is showing the output: Ctrl-C is the pager's (as in git) */
  paging = false;

  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly cwd: string = process.cwd(),
  ) {}

  /** Called before each action with the command being run. */
  setup(cmd: Command): Globals {
    const g = cmd.optsWithGlobals() as Globals;
    // commander gives color=true by default for --no-color; only an explicit flag counts
    const colorFlag = process.argv.includes('--no-color') ? false : process.argv.includes('--color') ? true : undefined;
    this.style = makeStyle(wantColor(colorFlag, this.env, Boolean(process.stdout.isTTY)));
    this.verbose = Boolean(g.verbose);
    return g;
  }

  async loadConfig(): Promise<VsgConfig> {
    this.config ??= await loadConfig(this.cwd, this.env);
    return this.config;
  }

  /**
   * Open the repository the configuration points at (requiring vsg's schema
   * unless init or bare). Only `create` (vsg init) makes an embedded database
   * where there is none; any other command refuses at once, as git does
   * outside a repository, without loading PGlite or writing anything.
   */
  async repo(g: Globals, opts: { init?: boolean; bare?: boolean; create?: boolean } = {}): Promise<Repository> {
    // One repository per command: a second open of the embedded database would wait on our own lock.
    if (this.opened[0] && !opts.init) return this.opened[0];
    const config = await this.loadConfig();
    const conn = resolveConnection(g, this.env, config, this.cwd);
    const create = opts.create || opts.init;
    if (conn.kind === 'pglite' && !create && !embeddedExists(conn.dir)) throw noRepository(conn.dir, this.cwd);
    const repo = await openRepository({ url: conn.url, dir: conn.dir, init: opts.init, bare: opts.bare, create });
    this.opened.push(repo);
    this.onOpen?.(repo);
    return repo;
  }

  async author(opts: { author?: string }): Promise<string> {
    return resolveAuthor(opts, this.env, await this.loadConfig());
  }

  /** Interrupt every open repository's work; what was going on in any of them. */
  interrupt(): { busy: boolean; inTransaction: boolean } {
    const states = this.opened.map((r) => r.interrupt());
    return { busy: states.some((s) => s.busy), inTransaction: states.some((s) => s.inTransaction) };
  }

  async close(): Promise<void> {
    for (const r of this.opened.splice(0)) await r.close().catch(() => undefined);
  }

  /** Print text; through a pager when stdout is a terminal and paging is on. */
  async out(text: string, opts: { page?: boolean; pager?: boolean } = {}): Promise<void> {
    if (text === '') return;
    const body = text.endsWith('\n') ? text : `${text}\n`;
    const pager = this.pagerCommand(opts.pager);
    if (opts.page && pager && process.stdout.isTTY) {
      this.paging = true;
      await new Promise<void>((resolve) => {
        const child = spawn(pager, { shell: true, stdio: ['pipe', 'inherit', 'inherit'], env: { LESS: 'FRX', ...this.env } });
        child.stdin.on('error', () => undefined); // the user quit the pager early
        child.on('close', (code) => {
          // The shell could not find or run the pager: print it ourselves.
          if (code === 127 || code === 126) process.stdout.write(body, () => resolve());
          else resolve();
        });
        child.on('error', () => {
          process.stdout.write(body);
          resolve();
        });
        child.stdin.end(body);
      }).finally(() => (this.paging = false));
      return;
    }
    await write(process.stdout, body);
  }

  private pagerCommand(flag: boolean | undefined): string | null {
    if (flag === false) return null;
    const p = this.env.VSG_PAGER ?? this.env.PAGER ?? 'less -FRX';
    return p === '' || p === 'cat' ? null : p;
  }

  /** Read SQL from an argument, -f file, or standard input ('-' as the argument or as the file). */
  async readSql(arg: string | undefined, file: string | undefined): Promise<string | undefined> {
    if (file === '-') return this.readSql('-', undefined);
    if (file !== undefined) {
      try {
        return fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new VsgError('E_READ_FILE', `cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
          exitCode: ExitCode.usage,
        });
      }
    }
    if (arg === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    return arg;
  }
}

/** Write to a stream; a reader that went away (EPIPE: `vsg log | head -1`) is not an error. */
export function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(text, () => resolve());
  });
}
