/**
 * Forgotten cells (vsg forget) as results carry them: null plus the flag
 * (src/core/rows.ts › flagForgotten), compared by marker, printed as
 * «forgotten» by the renderers and flagged per row by export's JSON writer.
 */
import { describe, expect, it } from 'vitest';
import { changedColumns, flagForgotten, parseChanges, statOf } from '../../src/core/rows.js';
import { renderChanges } from '../../src/render/diff.js';
import { exportWriter, forgottenKey } from '../../src/render/export.js';
import { makeStyle } from '../../src/render/style.js';
import type { ExportHeader } from '../../src/index.js';

const plain = makeStyle(false);
const m = (hex: string) => ({ forgotten: hex.repeat(32).slice(0, 32) });

describe('forgotten cells in results', () => {
  it('a change row: markers out of the images into the flag, compared by marker', () => {
    const [ch] = parseChanges([
      { key: '{"id":"1"}', old: JSON.stringify({ id: '1', email: m('a'), name: m('b'), n: '1' }), new: JSON.stringify({ id: '1', email: m('c'), name: m('b'), n: '1' }) },
    ]);
    expect(ch.old).toEqual({ id: '1', email: null, name: null, n: '1' });
    expect(ch.new).toEqual({ id: '1', email: null, name: null, n: '1' });
    expect(ch.forgotten).toEqual({ old: { email: 'a'.repeat(32), name: 'b'.repeat(32) }, new: { email: 'c'.repeat(32), name: 'b'.repeat(32) } });
    // the email changed (different markers), the name did not (the same)
    expect(changedColumns(ch)).toEqual(['email']);
    expect(statOf([ch]).columns).toEqual({ email: 1 });
    expect(renderChanges([ch], ['id'], ['id', 'email', 'name', 'n'], plain)).toBe('~ id=1\n    email: «forgotten» → «forgotten»');
    // a value forgotten on one side only is a change, shown as such; a NULL not in the flag is a NULL
    const [half] = parseChanges([{ key: '{"id":"2"}', old: JSON.stringify({ id: '2', email: m('d') }), new: JSON.stringify({ id: '2', email: null }) }]);
    expect(half.forgotten).toEqual({ old: { email: 'd'.repeat(32) } });
    expect(renderChanges([half], ['id'], ['id', 'email'], plain)).toBe('~ id=2\n    email: «forgotten» → NULL');
    // nothing forgotten: no flag at all
    expect(parseChanges([{ key: '{"id":"3"}', old: null, new: '{"id":"3","email":"x"}' }])[0]).not.toHaveProperty('forgotten');
    // a value that merely looks like one (text holding braces) is a value; a marker on the new side alone is found
    const [text] = parseChanges([{ key: '{"id":"4"}', old: '{"id":"4","note":"{\\"forgotten\\": 1}"}', new: JSON.stringify({ id: '4', note: m('f') }) }]);
    expect(text.old).toEqual({ id: '4', note: '{"forgotten": 1}' });
    expect(text.forgotten).toEqual({ new: { note: 'f'.repeat(32) } });
  });

  it('a single value: null and its marker; an object that is not a marker stays', () => {
    expect(flagForgotten({ column: 'email', ours: m('e') as unknown, theirs: 'x' }, { ours: 'value', theirs: 'value' })).toEqual({
      column: 'email', ours: null, theirs: 'x', forgotten: { ours: 'e'.repeat(32) },
    });
    const bases = { 'vsg:conflict': true };
    expect(flagForgotten({ base: bases as unknown }, { base: 'value' })).toEqual({ base: bases });
  });

  it('export as JSON: the row\'s flag, under a name no column has', () => {
    const h = { columns: ['id', 'email'], generated: [], identityAlways: false, schema: 'public', name: 't' } as unknown as ExportHeader;
    const w = exportWriter('json', plain);
    const out = w.header(h) + w.rows([['1', null], ['2', 'b@x']], { 0: { email: 'f'.repeat(32) } }) + w.end();
    expect(JSON.parse(out)).toEqual([{ id: '1', email: null, forgotten: { email: 'f'.repeat(32) } }, { id: '2', email: 'b@x' }]);
    expect(forgottenKey(['id', 'forgotten', 'forgotten_'])).toBe('forgotten__');
    const sqlW = exportWriter('sql', plain);
    expect(sqlW.header({ ...h, commit: 'c', table: 't' }) + sqlW.rows([['1', null]], { 0: { email: 'f'.repeat(32) } })).toContain(`VALUES ('1', NULL /* forgotten */);`);
    const csv = exportWriter('csv', plain);
    expect(csv.header(h) + csv.rows([['1', null]], { 0: { email: 'f'.repeat(32) } })).toBe('id,email\n1,«forgotten»\n');
  });
});
