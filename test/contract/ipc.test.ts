// Type tests: checked by `tsc -p tsconfig.json` (part of npm test), so a channel added, renamed or
// retyped on one side without the others fails the build. The runtime assertions guard the lists.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { PreflightReport } from '../../src-main/contract/preflight.js';
import type { RunSecrets } from '../../src-main/contract/profile.js';
import type { Result } from '../../src-main/contract/result.js';
import type {
  RestoreDoneMessage,
  RestoreEventMessage,
  RestoreJob,
  RestorePreparation,
  RestorePrepareRequest,
  RestoreReport,
  RestoreStartRequest,
} from '../../src-main/contract/restore-run.js';
import type { SetSummary, VerifyReport } from '../../src-main/contract/sets.js';
import {
  API_GLOBAL,
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type ApiHandlers,
  type EmitEvent,
  type EventChannel,
  type EventMap,
  type InvokeChannel,
  type OctaneApi,
} from '../../src-main/contract/ipc.js';
import type {
  ProfileRecord,
  RunDoneMessage,
  RunEventMessage,
  RunJob,
  RunRequest,
  SaveProfileRequest,
  SecretKey,
} from '../../src-main/contract/ui.js';
// Type-only: ipc-main.ts imports electron, which must never load in tests.
import type { createApiHandlers } from '../../src-main/electron/api-handlers.js';
import type { createEmitter } from '../../src-main/electron/ipc-main.js';
import type { createApi } from '../../src-main/preload/create-api.js';

describe('the IPC contract', () => {
  it('lists every invoke and event channel exactly once at run time', () => {
    expectTypeOf<(typeof INVOKE_CHANNELS)[number]>().toEqualTypeOf<InvokeChannel>();
    expectTypeOf<(typeof EVENT_CHANNELS)[number]>().toEqualTypeOf<EventChannel>();
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
    expect(new Set(EVENT_CHANNELS).size).toBe(EVENT_CHANNELS.length);
    expect(API_GLOBAL).toBe('octane');
  });

  it('types each channel end to end: arguments, envelope and value', () => {
    const api = {} as OctaneApi;
    expectTypeOf(api.invoke<'sets:verify'>).parameters.toEqualTypeOf<['sets:verify', setPath: string]>();
    expectTypeOf(api.invoke<'sets:verify'>).returns.toEqualTypeOf<Promise<Result<VerifyReport>>>();
    expectTypeOf(api.invoke<'profiles:save'>).parameters.toEqualTypeOf<
      ['profiles:save', request: SaveProfileRequest]
    >();
    expectTypeOf(api.invoke<'profiles:list'>).returns.toEqualTypeOf<Promise<Result<ProfileRecord[]>>>();
    expectTypeOf(api.invoke<'sets:list'>).returns.toEqualTypeOf<Promise<Result<SetSummary[]>>>();
    expectTypeOf(api.invoke<'profiles:preflight'>).returns.toEqualTypeOf<Promise<Result<PreflightReport>>>();
    expectTypeOf<ApiHandlers['runs:start']>().toEqualTypeOf<(request: RunRequest) => Promise<RunJob>>();
    expectTypeOf(api.invoke<'restore:prepare'>).parameters.toEqualTypeOf<
      ['restore:prepare', request: RestorePrepareRequest]
    >();
    expectTypeOf(api.invoke<'restore:prepare'>).returns.toEqualTypeOf<Promise<Result<RestorePreparation>>>();
    expectTypeOf<ApiHandlers['restore:start']>().toEqualTypeOf<
      (request: RestoreStartRequest) => Promise<RestoreJob>
    >();
    expectTypeOf<ApiHandlers['restore:cancel']>().toEqualTypeOf<(jobId: string) => Promise<boolean>>();
    // A channel that does not exist is a compile error.
    // @ts-expect-error not a contract channel
    expectTypeOf(api.invoke<'fs:read-any-file'>).toBeFunction();
  });

  it('types the main -> renderer messages', () => {
    const api = {} as OctaneApi;
    expectTypeOf<EventMap['run:event']>().toEqualTypeOf<RunEventMessage>();
    expectTypeOf<EventMap['run:done']>().toEqualTypeOf<RunDoneMessage>();
    expectTypeOf<EventMap['restore:event']>().toEqualTypeOf<RestoreEventMessage>();
    expectTypeOf<EventMap['restore:done']>().toEqualTypeOf<RestoreDoneMessage>();
    expectTypeOf<RestoreDoneMessage['result']>().toEqualTypeOf<Result<RestoreReport>>();
    expectTypeOf(api.on<'run:done'>)
      .parameter(1)
      .toEqualTypeOf<(payload: RunDoneMessage) => void>();
  });

  it('binds the preload, the main-side handlers and the emitter to the same types', () => {
    expectTypeOf<ReturnType<typeof createApi>>().toEqualTypeOf<OctaneApi>();
    expectTypeOf<ReturnType<typeof createApiHandlers>>().toEqualTypeOf<ApiHandlers>();
    expectTypeOf<ReturnType<typeof createEmitter>>().toEqualTypeOf<EmitEvent>();
  });

  it('keeps the secret keys of the vault and of a run identical', () => {
    expectTypeOf<SecretKey>().toEqualTypeOf<keyof RunSecrets>();
  });
});
