/**
 * Scenario 11: `vsg tui` on a deep history. A 1,000-row table gets 100,000
 * commits (1,000 with --quick), built as scenario 7 builds its history (the
 * engine's own commit statement in a server-side loop). Then:
 * - first frame: from opening the repository to the first frame that lists
 *   commits, the TUI drawn by Ink into a fake terminal in this process;
 * - first frame (process): from starting `bin/vsg tui` in a tmux pane (a real
 *   pseudo-terminal) to the screen listing commits (when tmux is installed);
 * - key → next frame: `j` pressed, the time until Ink writes the frame that
 *   moved; 300 presses, so the selection crosses page reads;
 * - enter → commit pane: the time until the commit's change set is drawn.
 * Targets (issue 17): first frame ≤ 1.5 s against the server, a key ≤ 50 ms.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { makeRow } from '../lib.mjs';
import { BUILD, VSG_BIN, connect, createDatabase, dropDatabase } from '../harness.mjs';
import { buildHistory } from './history.mjs';

export const id = 'tui';
export const perSize = false;

export async function unavailable() {
  try {
    await import(join(BUILD, 'dist', 'tui', 'app.js'));
    return null;
  } catch {
    return 'this build has no vsg tui';
  }
}

/** A terminal for Ink: what it writes is kept, keys are sent as a tty's bytes. */
class Screen extends EventEmitter {
  columns = 120;
  rows = 40;
  isTTY = true;
  last = '';
  write(s) {
    this.last = s;
    this.emit('frame', s);
    return true;
  }
}
class Keys extends EventEmitter {
  isTTY = true;
  data = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  send(d) {
    this.data = d;
    this.emit('readable');
    this.emit('data', d);
  }
}

/** The time until Ink writes a frame that `test` accepts (after `act`). */
function frameAfter(screen, act, test, ms = 60_000) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const timer = setTimeout(() => reject(new Error(`no frame within ${ms} ms; last:\n${screen.last}`)), ms);
    const on = (s) => {
      if (!test(s)) return;
      clearTimeout(timer);
      screen.off('frame', on);
      resolve(performance.now() - start);
    };
    screen.on('frame', on);
    act();
  });
}

export async function run(ctx) {
  const { cleanup, reps, prefix, lib } = ctx;
  const total = reps.historyCommits;
  const name = `${prefix}_tui`;
  const url = await createDatabase(cleanup, name);
  const rows = [];
  const note = `table of 1,000 rows with ${total} commits (rows column = commits)`;
  try {
    const c = await connect(cleanup, url);
    const repo = await lib.openRepository({ url, init: true });
    try {
      await buildHistory(c, repo, total, 'tui');
      await c.query('VACUUM ANALYZE');
    } finally {
      await repo.close().catch(() => undefined);
    }

    const [{ render }, React, { App, RENDER_OPTIONS }, { makeStyle }] = await Promise.all([
      import(join(BUILD, 'node_modules', 'ink', 'build', 'index.js')),
      import(join(BUILD, 'node_modules', 'react', 'index.js')),
      import(join(BUILD, 'dist', 'tui', 'app.js')),
      import(join(BUILD, 'dist', 'render', 'style.js')),
    ]);
    const h = React.default?.createElement ?? React.createElement;
    const listed = (s) => /\d+\+? commits/.test(s) && /bench hist ~1/.test(s);
    const first = [];
    const keys = [];
    const enter = [];
    for (let i = 0; i < reps.process; i++) {
      const screen = new Screen();
      const stdin = new Keys();
      let repoI;
      let app;
      first.push(
        await frameAfter(
          screen,
          () => {
            lib.openRepository({ url }).then((r) => {
              repoI = r;
              app = render(h(App, { repo: r, style: makeStyle(false), author: 'bench' }), { ...(RENDER_OPTIONS ?? {}), stdout: screen, stdin, stderr: screen, exitOnCtrlC: false });
            });
          },
          listed,
        ),
      );
      try {
        // the first repetition's presses are all measured; each later one adds 100
        for (let k = 0; k < (i === 0 ? 300 : 100); k++) keys.push(await frameAfter(screen, () => stdin.send('j'), () => true));
        enter.push(await frameAfter(screen, () => stdin.send('\r'), (s) => /^~ id=\d+/m.test(s)));
      } finally {
        app?.unmount();
        await repoI?.close();
      }
    }
    const goal = (row, limit) => {
      const v = row.vsg.median;
      row.goal = { text: `${v.toFixed(1)} ms (goal ≤ ${limit} ms)`, value: v, limit, pass: v <= limit };
      return row;
    };
    rows.push(goal(makeRow({ scenario: '12 tui', name: 'first frame (library, fake terminal)', rows: total, vsg: first, note }), 1500));
    rows.push(goal(makeRow({ scenario: '12 tui', name: 'key j → next frame', rows: total, vsg: keys, note: `${keys.length} presses across page reads; ${note}` }), 50));
    rows.push(makeRow({ scenario: '12 tui', name: 'enter → commit pane', rows: total, vsg: enter, note }));

    // The whole process in a real pseudo-terminal, as a user starts it.
    if (spawnSync('tmux', ['-V']).status === 0) {
      const sock = `vsg-bench-tui-${process.pid}`;
      const tmux = (...a) => execFileSync('tmux', ['-L', sock, '-f', '/dev/null', ...a], { encoding: 'utf8' });
      const proc = [];
      try {
        for (let i = 0; i < reps.process; i++) {
          const pane = `b${i}`;
          const s = performance.now();
          tmux('new-session', '-d', '-s', pane, '-x', '120', '-y', '40', `env NO_COLOR=1 VSG_AUTHOR=bench VSG_DATABASE_URL='${url}' '${process.execPath}' '${VSG_BIN}' tui; sleep 60`);
          for (;;) {
            if (listed(tmux('capture-pane', '-p', '-t', pane))) break;
            if (performance.now() - s > 60_000) throw new Error('vsg tui drew no log within 60 s');
            await new Promise((r) => setTimeout(r, 5));
          }
          proc.push(performance.now() - s);
          tmux('send-keys', '-t', pane, 'q');
          await new Promise((r) => setTimeout(r, 300));
          tmux('kill-session', '-t', pane);
        }
      } finally {
        spawnSync('tmux', ['-L', sock, 'kill-server']);
      }
      rows.push(goal(makeRow({ scenario: '12 tui', name: 'first frame (vsg tui process, tmux)', rows: total, vsg: proc, note: `process start included, screen polled every 5 ms; ${note}` }), 1500));
    } else ctx.notes?.push('tui: tmux is not installed; the process figure is skipped');
    await c.end().catch(() => undefined);
    return rows;
  } finally {
    await dropDatabase(cleanup, name);
  }
}
