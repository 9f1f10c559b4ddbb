/**
 * Progress on stderr, like git's "Receiving objects: 45% (450/1000)": only
 * when stderr is a terminal, only for operations that last longer than about
 * a second, redrawn in place and erased when done. stdout stays clean.
 *
 *   const p = startProgress('restoring clients', { total: rows });
 *   ... p.update(done) ...
 *   p.done();
 *
 *   const repo = await withProgress('starting the embedded database', () => open());
 */

export interface ProgressOptions {
  /** when known, shown as a percentage and done/total */
  total?: number;
  /** wait this long before showing anything (default 1000 ms; VSG_PROGRESS_DELAY overrides) */
  delayMs?: number;
  /** where to draw (default process.stderr) */
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
}

export interface Progress {
  /** record progress; cheap, call it as often as you like */
  update(done: number, total?: number): void;
  /** change the label */
  label(text: string): void;
  /** stop and erase the line */
  done(): void;
  /** whether anything is being drawn (a terminal, and the delay passed) */
  readonly visible: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const FRAME_MS = 100;

/** Whether progress may be drawn on this stream: a terminal, and not turned off (VSG_PROGRESS=0). */
export function progressEnabled(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env.VSG_PROGRESS !== '0' && env.TERM !== 'dumb';
}

/** The text of one progress line (pure, for tests). */
export function progressLine(label: string, done: number | undefined, total: number | undefined, elapsedMs: number, frame: number): string {
  const secs = `${(elapsedMs / 1000).toFixed(1)}s`;
  if (total !== undefined && total > 0 && done !== undefined) {
    const pct = Math.min(100, Math.floor((done / total) * 100));
    return `${label}: ${String(pct).padStart(3)}% (${done}/${total}) ${secs}`;
  }
  if (done !== undefined) return `${label}: ${done} ${secs}`;
  return `${label} ${SPINNER[frame % SPINNER.length]} ${secs}`;
}

/** Start a progress line; draws nothing unless stderr is a terminal and the delay passes. */
export function startProgress(text: string, opts: ProgressOptions = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  const enabled = progressEnabled(stream, env);
  const delay = env.VSG_PROGRESS_DELAY !== undefined ? Number(env.VSG_PROGRESS_DELAY) : (opts.delayMs ?? 1000);
  const started = Date.now();
  let label = text;
  let done: number | undefined;
  let total = opts.total;
  let frame = 0;
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    stream.write(`\r\x1b[K${progressLine(label, done, total, Date.now() - started, frame++)}`);
  };
  if (enabled) {
    timer = setTimeout(() => {
      draw();
      timer = setInterval(draw, FRAME_MS);
      timer.unref();
    }, delay);
    timer.unref();
  }
  return {
    update(n, t) {
      done = n;
      if (t !== undefined) total = t;
    },
    label(t) {
      label = t;
    },
    done() {
      if (timer) clearTimeout(timer); // clears an interval too
      timer = undefined;
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
    get visible() {
      return shown;
    },
  };
}

/** Run fn with a spinner (and elapsed time) on stderr if it takes longer than about a second. */
export async function withProgress<T>(label: string, fn: (p: Progress) => Promise<T>, opts: ProgressOptions = {}): Promise<T> {
  const p = startProgress(label, opts);
  try {
    return await fn(p);
  } finally {
    p.done();
  }
}
