/** permissionError: PostgreSQL's 42501 as E_PERMISSION naming the privilege that is missing (issue 19). */
import { describe, expect, it } from 'vitest';
import { ExitCode, permissionError } from '../../src/errors.js';

const denied = (message: string) => Object.assign(new Error(message), { code: '42501' });

describe('permissionError', () => {
  it.each([
    ['permission denied for database shop', /needs CREATE on the database: .*GRANT CREATE ON DATABASE shop TO this role$/],
    ['permission denied for schema vsg', /reads need USAGE on schema vsg and SELECT on its tables, writes also INSERT, UPDATE, DELETE/],
    ['must be owner of table orders', /^only the owner of orders can change its triggers/],
    ['permission denied for table tracked', /^this role lacks a privilege on table tracked \(of the application or of schema vsg\)/],
    ['permission denied for schema billing', /^this role needs USAGE on schema billing/],
    ['permission denied to create extension "x"', /^ask for the privilege PostgreSQL names/],
  ])('%s', (message, hint) => {
    const e = permissionError(denied(message));
    expect(e).toMatchObject({ code: 'E_PERMISSION', exitCode: ExitCode.permission, message: `permission denied: ${message}` });
    expect(e.hint).toMatch(hint);
  });
});
