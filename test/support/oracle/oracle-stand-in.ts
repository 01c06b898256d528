// Oracle driver stand-in: no Oracle runs here, so the step is tested at its driver boundary.
// The stand-in records every execute(sql, binds) and answers by pattern, from a small script:
//
//   const db = new OracleStandIn()
//     .on(/GET_SYSTEM_CHANGE_NUMBER/, { rows: [{ SCN: '42', DB_TIME: '...' }] })
//     .on(/DBMS_DATAPUMP\.GET_STATUS/, status('EXECUTING', 0), status('COMPLETED', 100)) // in turn, last repeats
//     .on(/DBMS_DATAPUMP\.OPEN/, { error: oraError('ORA-01950: no privileges on tablespace') });
//
// Later rules win over earlier ones, so a test starts from a healthy server (healthy-server.ts)
// and scripts only what it is about. A call no rule answers fails the test loudly.
import type {
  Binds,
  ConnectFactory,
  ConnectParams,
  ExecuteResult,
  OracleConnection,
  OracleLob,
} from '../../../src-main/engine/steps/oracle/driver.js';

export interface RecordedCall {
  sql: string;
  binds: Binds;
  /** 1-based number of the connection that sent it. */
  connection: number;
}

export type Reply = ExecuteResult | { error: Error };
export type Answer = Reply | ((call: RecordedCall) => Reply | Promise<Reply>);

interface Rule {
  pattern: RegExp;
  answers: Answer[];
  used: number;
}

/** A bind value that must be text (file names, patterns); fails the test otherwise. */
export function bindText(call: RecordedCall, name: string): string {
  const v = call.binds[name];
  if (typeof v !== 'string') throw new Error(`bind :${name} is not text: ${JSON.stringify(v)}`);
  return v;
}

/** An error shaped like oracledb's: message "ORA-nnnnn: ...", code and errorNum. */
export function oraError(message: string): Error {
  const err = new Error(message) as Error & { code?: string; errorNum?: number };
  const m = /^(ORA|NJS)-(\d+)/.exec(message);
  if (m?.[1] && m[2]) {
    err.code = `${m[1]}-${m[2]}`;
    if (m[1] === 'ORA') err.errorNum = Number(m[2]);
  }
  return err;
}

/** A BFILE that hands out its bytes in chunks no larger than maxChunk (as a real read may). */
export class FakeLob implements OracleLob {
  readonly reads: { offset: number; amount: number }[] = [];
  destroyed = false;
  constructor(
    private readonly payload: Buffer,
    private readonly maxChunk = 50_000,
  ) {}

  getData(offset: number, amount: number): Promise<Buffer> {
    this.reads.push({ offset, amount });
    const start = offset - 1;
    return Promise.resolve(
      Buffer.from(this.payload.subarray(start, start + Math.min(amount, this.maxChunk))),
    );
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export class OracleStandIn {
  readonly calls: RecordedCall[] = [];
  readonly logins: ConnectParams[] = [];
  /** Connections handed out, and how many of them the step closed. */
  opened = 0;
  closed = 0;
  private readonly rules: Rule[] = [];
  private connectReply: (() => Error | undefined) | undefined;

  /** Answers calls whose SQL matches; several answers are used in turn, the last one repeats. */
  on(pattern: RegExp, ...answers: Answer[]): this {
    if (answers.length === 0) throw new Error('on() needs at least one answer');
    this.rules.push({ pattern, answers, used: 0 });
    return this;
  }

  /** Makes getConnection fail (login refused, listener down, ...). */
  failConnect(err: Error): this {
    this.connectReply = () => err;
    return this;
  }

  callsTo(pattern: RegExp): RecordedCall[] {
    return this.calls.filter((c) => pattern.test(c.sql));
  }

  indexOf(pattern: RegExp): number {
    return this.calls.findIndex((c) => pattern.test(c.sql));
  }

  readonly connect: ConnectFactory = (params) => {
    this.logins.push(params);
    const failure = this.connectReply?.();
    if (failure) return Promise.reject(failure);
    const n = ++this.opened;
    let open = true;
    const conn: OracleConnection = {
      execute: async (sql, binds = {}) => {
        if (!open) throw oraError('NJS-003: invalid or closed connection');
        const call: RecordedCall = { sql, binds: { ...binds }, connection: n };
        this.calls.push(call);
        const reply = await this.answer(call);
        if ('error' in reply) throw reply.error;
        return reply;
      },
      close: () => {
        open = false;
        this.closed++;
        return Promise.resolve();
      },
    };
    return Promise.resolve(conn);
  };

  private async answer(call: RecordedCall): Promise<Reply> {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i];
      if (!rule?.pattern.test(call.sql)) continue;
      const a = rule.answers[Math.min(rule.used, rule.answers.length - 1)];
      rule.used++;
      if (a === undefined) break;
      return typeof a === 'function' ? await a(call) : a;
    }
    return { error: new Error(`Oracle stand-in has no answer for: ${call.sql.slice(0, 200)}`) };
  }
}
