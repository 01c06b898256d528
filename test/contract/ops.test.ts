// Type tests for the operations channels: the contract's plain views must stay assignable from
// what the engine returns, so an engine change that the renderer would misread fails the build.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { INVOKE_CHANNELS, type ApiHandlers, type OctaneApi } from '../../src-main/contract/ipc.js';
import type { ScheduleConfig } from '../../src-main/contract/profile.js';
import type { Result } from '../../src-main/contract/result.js';
import type {
  OctaneImportView,
  PruneRequest,
  PruneResultView,
  RetentionEntryView,
  SchedulePreview,
  ScheduledTaskInfo,
  TaskStatusView,
  TestEmailRequest,
  TestEmailResult,
} from '../../src-main/contract/ui.js';
import type { SendResult } from '../../src-main/engine/alerts/email.js';
import type { OctaneConfigImport } from '../../src-main/engine/octane-config/import-octane-config.js';
import type { PruneOutcome } from '../../src-main/engine/retention/prune.js';
import type { RetentionDecision } from '../../src-main/engine/retention/plan-retention.js';
import type { ScheduleProposal } from '../../src-main/engine/schedule/propose-schedule.js';
import type { WindowsTaskStatus } from '../../src-main/engine/schedule/schtasks.js';

describe('the operations IPC contract', () => {
  it('lists the operations channels', () => {
    expect(INVOKE_CHANNELS).toEqual(
      expect.arrayContaining([
        'schedule:propose',
        'schedule:status',
        'schedule:install',
        'schedule:remove',
        'retention:plan',
        'retention:prune',
        'alerts:test-email',
        'octane:default-dir',
        'octane:import',
      ]),
    );
  });

  it('types each operations channel end to end', () => {
    const api = {} as OctaneApi;
    expectTypeOf(api.invoke<'schedule:propose'>).parameters.toEqualTypeOf<
      ['schedule:propose', config: ScheduleConfig]
    >();
    expectTypeOf(api.invoke<'schedule:propose'>).returns.toEqualTypeOf<Promise<Result<SchedulePreview>>>();
    expectTypeOf<ApiHandlers['schedule:install']>().toEqualTypeOf<
      (profile: string) => Promise<ScheduledTaskInfo>
    >();
    expectTypeOf<ApiHandlers['retention:prune']>().toEqualTypeOf<
      (request: PruneRequest) => Promise<PruneResultView>
    >();
    expectTypeOf<ApiHandlers['alerts:test-email']>().toEqualTypeOf<
      (request: TestEmailRequest) => Promise<TestEmailResult>
    >();
    expectTypeOf<ApiHandlers['octane:import']>().toEqualTypeOf<(dir: string) => Promise<OctaneImportView>>();
  });

  it('keeps the views assignable from what the engine returns', () => {
    expectTypeOf<ScheduleProposal>().toExtend<SchedulePreview>();
    expectTypeOf<WindowsTaskStatus>().toExtend<TaskStatusView>();
    expectTypeOf<Omit<RetentionDecision, 'path' | 'profile'>>().toExtend<Omit<RetentionEntryView, 'paths'>>();
    expectTypeOf<Omit<PruneOutcome, 'plan'>>().toExtend<Omit<PruneResultView, 'notDeleted'>>();
    expectTypeOf<SendResult>().toEqualTypeOf<TestEmailResult>();
    expectTypeOf<Omit<OctaneConfigImport, 'profileDraft'>>().toExtend<Omit<OctaneImportView, 'draft'>>();
    // The SMTP password is never part of a request's settings: it travels apart, typed or stored.
    expectTypeOf<TestEmailRequest['email']>().not.toHaveProperty('password');
  });
});
