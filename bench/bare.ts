/**
 * The baseline of `casebook run access-denied`: what a bare @duckdb/node-api script
 * costs over the same files. Given the file list casebook's discovery yields for the
 * window, it reads the same CloudTrail fields with the same reader settings (one JSON
 * document per line, gzip, only the fields the query uses) and computes the same
 * aggregate, with no pack, no parameters, no CLI, no partition table and no file checks.
 * Prints [{principal, principal_type, denied_calls}] as JSON.
 *
 *   node dist/bench/bare.js FILE_LIST SINCE_ISO UNTIL_ISO
 */
import { readFileSync } from 'node:fs';
import { DuckDBInstance, LIST, VARCHAR, listValue } from '@duckdb/node-api';

const [listFile, since, until] = process.argv.slice(2);
if (!listFile || !since || !until) throw new Error('usage: bare.js FILE_LIST SINCE_ISO UNTIL_ISO');
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const iso = (s: string) => new Date(s).toISOString().replace(/\.\d{3}Z$/, 'Z');

const record = [
  'eventTime VARCHAR',
  'eventSource VARCHAR',
  'eventName VARCHAR',
  'errorCode VARCHAR',
  'sourceIPAddress VARCHAR',
  'recipientAccountId VARCHAR',
  'userIdentity STRUCT(type VARCHAR, arn VARCHAR, principalId VARCHAR, invokedBy VARCHAR)',
].join(', ');
const denied = `(r.errorCode IN ('AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'UnauthorizedOperation',
    'UnauthorizedAccess', 'UnauthorizedException', 'AuthorizationError', 'AuthorizationErrorException',
    'AuthorizationException', 'NotAuthorized', 'NotAuthorizedException', 'Forbidden', 'ForbiddenException',
    'AccessDeniedFault', 'InsufficientPermissionsException', 'InsufficientPrivilegesException', 'Client.AuthFailure', 'AuthFailure')
  OR regexp_matches(r.errorCode, '(?i)(accessdenied|unauthorized|notauthorized|forbidden)'))`;
const principal = 'coalesce(r.userIdentity.arn, r.userIdentity.invokedBy, r.userIdentity.principalId, r.userIdentity.type)';
const sql = `
SELECT ${principal} AS principal, r.userIdentity.type AS principal_type, count(*) AS denied_calls,
  count(DISTINCT r.eventSource || ':' || r.eventName) AS distinct_actions,
  list_sort(list(DISTINCT r.errorCode)) AS error_codes,
  list_sort(list(DISTINCT r.sourceIPAddress))[1:10] AS source_ips,
  list_sort(list(DISTINCT r.recipientAccountId)) AS accounts,
  min(r.eventTime) AS first_seen, max(r.eventTime) AS last_seen
FROM (SELECT unnest(Records) AS r
      FROM read_json(getvariable('files'), columns = {Records: 'STRUCT(${record})[]'},
                     format = 'newline_delimited', compression = 'gzip', maximum_object_size = 16777216))
WHERE r.eventTime >= '${iso(since)}' AND r.eventTime < '${iso(until)}' AND ${denied}
GROUP BY ALL
ORDER BY denied_calls DESC, principal, principal_type`;

const instance = await DuckDBInstance.create(':memory:');
const c = await instance.connect();
const set = await c.prepare('SET VARIABLE files = $1');
set.bindList(1, listValue(files), LIST(VARCHAR));
await set.run();
const reader = await c.runAndReadAll(sql);
const rows = reader.getRowObjectsJS().map((r) => ({
  principal: r.principal,
  principal_type: r.principal_type,
  denied_calls: Number(r.denied_calls),
}));
process.stdout.write(JSON.stringify(rows));
