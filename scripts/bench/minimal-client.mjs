/**
 * The least a Node command-line tool on node-postgres can do against the
 * server: start Node, load pg, connect to the URL given, run one query, print
 * its answer, close. Scenario 8 times it beside `psql -c` and `vsg log -n 1`:
 * what no Node CLI on this driver can go below.
 */
import pg from 'pg';

const client = new pg.Client({ connectionString: process.argv[2] });
await client.connect();
const { rows } = await client.query('SELECT id FROM vsg.commits ORDER BY seq DESC LIMIT 1');
process.stdout.write(`${rows[0]?.id ?? ''}\n`);
await client.end();
