/** The completion generator: scripts for bash, zsh and fish from a commander program. */
import { spawnSync } from 'node:child_process';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { completion, completionScript, describeProgram, SHELLS } from '../../src/cli/commands/completion.js';
import { commit } from '../../src/cli/commands/commit.js';
import { demo } from '../../src/cli/commands/demo.js';
import { init } from '../../src/cli/commands/init.js';
import { log } from '../../src/cli/commands/log.js';
import { buildProgram } from '../../src/cli/main.js';
import { Cli } from '../../src/cli/context.js';

function sample(): Command {
  const p = new Command('vsg').option('--url <url>', 'server URL').option('--verbose', 'more detail');
  p.command('commit').description("record rows: it's [fast]").option('-t, --table <table>', 'the table').option('-f, --file <file>', 'read SQL from a file').option('--allow-empty', 'commit nothing');
  p.command('checkout').alias('co').description('go back').option('-f, --force', 'even if dirty');
  return p;
}

describe('describeProgram', () => {
  it('reads commands, aliases and options (with values and files) from commander', () => {
    const spec = describeProgram(sample());
    expect(spec.subcommands.map((c) => c.name)).toEqual(['commit', 'checkout']);
    expect(spec.subcommands[1].aliases).toEqual(['co']);
    const commit = spec.subcommands[0];
    expect(commit.options.find((o) => o.long === '--table')).toMatchObject({ short: '-t', value: true, file: false });
    expect(commit.options.find((o) => o.long === '--file')).toMatchObject({ short: '-f', value: true, file: true });
    expect(commit.options.find((o) => o.long === '--allow-empty')).toMatchObject({ value: false });
    expect(spec.subcommands[1].options.find((o) => o.long === '--force')).toMatchObject({ value: false, file: false });
    expect(spec.options.find((o) => o.long === '--url')).toMatchObject({ value: true });
  });
});

describe('completionScript', () => {
  const spec = describeProgram(sample());

  it('bash: subcommands, per-command options, files only after a file option', () => {
    const s = completionScript('bash', spec);
    expect(s).toContain('complete -o default -F _vsg vsg');
    expect(s).toContain('compgen -W "commit checkout co"');
    expect(s).toContain('commit) opts="-t --table -f --file --allow-empty -h --help"; files="-f --file" ;;');
    expect(s).toContain('checkout|co) opts="-f --force -h --help"; files="" ;;');
    expect(s).toContain('--url) ((i++)) ;;');
  });

  it('zsh: a #compdef script with escaped descriptions', () => {
    const s = completionScript('zsh', spec);
    expect(s.startsWith('#compdef vsg\n')).toBe(true);
    expect(s).toContain(`'commit:record rows\\: it'\\''s \\[fast\\]'`);
    expect(s).toContain(`'(-f --file)'{-f,--file}'[read SQL from a file]:value:_files'`);
    expect(s).toContain('checkout|co)');
  });

  it('fish: one complete line per command and option, with conditions', () => {
    const s = completionScript('fish', spec);
    expect(s).toContain(`complete -c vsg -n '__fish_use_subcommand' -a 'commit' -d 'record rows: it\\'s [fast]'`);
    expect(s).toContain(`complete -c vsg -n '__fish_seen_subcommand_from commit' -s t -l table -r -d 'the table'`);
    expect(s).toContain(`complete -c vsg -n '__fish_seen_subcommand_from commit' -s f -l file -r -F -d 'read SQL from a file'`);
    expect(s).toContain(`complete -c vsg -n '__fish_seen_subcommand_from checkout co' -s f -l force -d 'even if dirty'`);
  });

  it('covers every command of the real program, and the bash script is valid and completes', async () => {
    const program = buildProgram(new Cli(), [commit, completion, demo, init, log]);
    const real = describeProgram(program);
    for (const shell of SHELLS) {
      const s = completionScript(shell, real);
      for (const c of ['commit', 'log', 'init', 'demo', 'completion']) expect(s).toContain(c);
    }
    const bash = completionScript('bash', real);
    const run = (words: string[]) =>
      spawnSync('bash', ['-c', `${bash}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _vsg; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
      });
    expect(run(['vsg', 'com']).stdout.split('\n').filter(Boolean).sort()).toEqual(['commit', 'completion']);
    expect(run(['vsg', '--url', 'x', 'log', '--one']).stdout.trim()).toBe('--oneline');
    expect(run(['vsg', 'commit', '--al']).stderr).toBe('');
  });
});
