import { describe, expect, it } from 'vitest';
import { serverGone } from './server-gone.js';

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('serverGone', () => {
  it('is true for a server that is down, starting or full', () => {
    expect(serverGone(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(serverGone(coded('the database system is starting up', '57P03'))).toBe(true);
    expect(serverGone(coded('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(serverGone(coded('sorry, too many clients already', '53300'))).toBe(true);
    expect(serverGone(coded('connection failure', '08006'))).toBe(true);
    expect(serverGone(new Error('Connection terminated unexpectedly'))).toBe(true);
    // The next query of a transaction whose connection was cut between two of its queries.
    expect(serverGone(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(serverGone(new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')]))).toBe(true);
  });

  it('is false for what running again will not mend', () => {
    expect(serverGone(coded('database "nope" does not exist', '3D000'))).toBe(false);
    expect(serverGone(coded('password authentication failed for user "x"', '28P01'))).toBe(false);
    expect(serverGone(coded('getaddrinfo ENOTFOUND db.invalid', 'ENOTFOUND'))).toBe(false);
    expect(serverGone(coded('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(serverGone(new AggregateError([]))).toBe(false);
    expect(serverGone(new Error('Client was closed and is not queryable'))).toBe(false);
    expect(serverGone('ECONNREFUSED')).toBe(false);
  });
});
