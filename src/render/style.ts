/** Colours, with git's meanings: ids yellow, additions green, deletions red. */
import { Chalk, type ChalkInstance } from 'chalk';

export type Style = ChalkInstance;

/** A chalk that colours only when asked: a terminal, no NO_COLOR, no --no-color. */
export function makeStyle(enabled: boolean): Style {
  return new Chalk({ level: enabled ? 2 : 0 });
}

/** Decide colour: --color/--no-color win, then NO_COLOR / FORCE_COLOR, then whether stdout is a terminal. */
export function wantColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return isTty;
}
