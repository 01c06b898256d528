// The first-run wizard: one store per step, each with a Test that runs the engine's real preflight
// on just that store, then every check together, Save, and the first backup. It edits the same
// state as the profile form (editor-model), so everything set here can be changed there later.
import {
  Button,
  Card,
  MessageBar,
  MessageBarBody,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { PreflightCheck, PreflightReport } from '@contract/preflight.js';
import type { ComponentId } from '@contract/profile.js';
import type {
  DestinationInfo,
  DestinationSlot,
  PreflightRequest,
  ProfileRecord,
  VolumeBinding,
} from '@contract/ui.js';
import { formatBytes } from '@contract/format.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { ArrowImportRegular, PlugConnectedRegular } from '../../icons.js';
import { ImportDialog } from '../operations/import-dialog.js';
import { DatabaseSection } from '../profiles/database-section.js';
import { DestinationsSection } from '../profiles/destinations-section.js';
import { useDrafts } from '../profiles/drafts-context.js';
import {
  draftProfile,
  draftVolumes,
  editorFromRecord,
  editsOf,
  newEditorState,
  setIn,
  type EditorState,
} from '../profiles/editor-model.js';
import { ElasticsearchSection } from '../profiles/elasticsearch-section.js';
import { GeneralSection } from '../profiles/general-section.js';
import { AlertsSection } from '../operations/alerts-section.js';
import { ScheduleSection } from '../operations/schedule-section.js';
import { ScheduledTask } from '../operations/scheduled-task.js';
import { PreflightPanel } from '../profiles/preflight-panel.js';
import { RepositorySection } from '../profiles/repository-section.js';

/** The wizard's draft lives with the form drafts, so looking at another screen keeps it. */
export const SETUP_DRAFT_KEY = '(setup)';

type StepId = 'profile' | 'destination' | ComponentId | 'schedule' | 'alerts' | 'check';

const STEPS: { id: StepId; title: string; intro: string }[] = [
  {
    id: 'profile',
    title: 'Name',
    intro:
      'Name the profile (it becomes a folder on the backup drive). Octane’s own settings can fill most of the next steps.',
  },
  {
    id: 'destination',
    title: 'Backup drive',
    intro:
      'Where the backup sets go: a USB drive or a folder on another disk. Never inside the repository folder.',
  },
  {
    id: 'database',
    title: 'Database',
    intro: 'The SQL Server or Oracle database Octane uses. It is backed up first.',
  },
  {
    id: 'elasticsearch',
    title: 'Elasticsearch',
    intro: 'Octane’s search indices, taken as a snapshot right after the database.',
  },
  { id: 'repository', title: 'Repository folder', intro: 'Octane’s attachments folder, copied last.' },
  {
    id: 'schedule',
    title: 'Schedule',
    intro:
      'How much data you can afford to lose: the schedule runs at least that often, and the Overview warns when the newest good backup is older. Old sets are deleted so the drive does not fill up: the newest 7 are kept (change it later under Retention).',
  },
  {
    id: 'alerts',
    title: 'Alerts (optional)',
    intro:
      'Who hears about a failed or overdue backup: an e-mail, and entries in the Windows Event Log. Leave it empty to skip; it can be set later under Profiles.',
  },
  {
    id: 'check',
    title: 'Check everything and save',
    intro: 'Every check the backup itself makes, problems first. Save when nothing is left to fix.',
  },
];

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  steps: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    listStyleType: 'none',
    margin: 0,
    padding: 0,
  },
  nav: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flexGrow: 1 },
});

/** The draft with only the stores a step tests switched on: the others' empty fields do not block it. */
function stepDraft(state: EditorState, only: ComponentId | undefined): EditorState {
  if (!only) return { ...state, enabled: { database: false, elasticsearch: false, repository: false } };
  return {
    ...state,
    enabled: { database: false, elasticsearch: false, repository: false, [only]: state.enabled[only] },
  };
}

function request(state: EditorState): PreflightRequest {
  const req: PreflightRequest = { profile: draftProfile(state), secrets: state.secrets };
  const volumes = Object.fromEntries(Object.entries(draftVolumes(state)).filter(([, b]) => b)) as Partial<
    Record<DestinationSlot, VolumeBinding>
  >;
  if (Object.keys(volumes).length > 0) req.volumes = volumes;
  return req;
}

/**
 * A step's Test shows that store's checks, and every settings problem: one anywhere stops the
 * engine's checks, so hiding it would make an empty list look like a pass.
 */
function stepChecks(report: PreflightReport, step: StepId): PreflightReport {
  const keep = (c: PreflightCheck): boolean =>
    step === 'check' || c.component === step || c.component === 'profile';
  const checks = report.checks.filter(keep);
  return { ok: checks.every((c) => c.status !== 'failed'), checks };
}

/**
 * The backup drive's Test, before any store is set up (the engine's preflight needs one): the folder
 * as main sees it now. Writing into it is proved by the full preflight of the last step.
 */
function driveReport(info: DestinationInfo): PreflightReport {
  const where: PreflightCheck = info.exists
    ? {
        id: 'destination:exists',
        component: 'destination',
        title: 'Folder',
        status: 'ok',
        message: `${info.path} exists.`,
      }
    : {
        id: 'destination:exists',
        component: 'destination',
        title: 'Folder',
        status: 'warning',
        message: `${info.path} does not exist yet.`,
        fix: 'The first backup creates it; check that the drive letter or mount point is right.',
      };
  const checks = [where];
  if (info.freeBytes !== undefined)
    checks.push({
      id: 'destination:free',
      component: 'destination',
      title: 'Free space',
      status: 'ok',
      message: `${formatBytes(info.freeBytes)} free${info.totalBytes !== undefined ? ` of ${formatBytes(info.totalBytes)}` : ''}${info.drive?.label ? ` on drive “${info.drive.label}”` : ''}.`,
    });
  return { ok: true, checks };
}

export function SetupWizard(props: { onDone: (saved: ProfileRecord, backUpNow: boolean) => void }) {
  const api = useApi();
  const s = useStyles();
  const drafts = useDrafts();
  const [state, setState] = useState<EditorState>(() => drafts.get(SETUP_DRAFT_KEY) ?? newEditorState());
  const [index, setIndex] = useState(0);
  const [test, setTest] = useState<
    { busy: boolean; report?: PreflightReport; error?: ErrorInfo } | undefined
  >();
  const [saved, setSaved] = useState<ProfileRecord | undefined>();
  const [saveError, setSaveError] = useState<ErrorInfo | undefined>();
  const [importing, setImporting] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const step: (typeof STEPS)[number] = STEPS[index] ?? { id: 'profile', title: '', intro: '' };
  const { put, drop } = drafts;
  // Kept (and guarded on window close) once something was entered; a saved profile leaves nothing.
  useEffect(() => {
    if (!saved && editsOf(state) !== editsOf(newEditorState())) put(SETUP_DRAFT_KEY, state);
    else drop(SETUP_DRAFT_KEY);
  }, [put, drop, state, saved]);
  // A new step moves focus to its heading, so a screen reader announces where the admin is.
  useEffect(() => heading.current?.focus(), [index]);

  const problemOf = (key: string): string | undefined =>
    test?.report?.checks.find((c) => c.id === `config:${key}`)?.message;
  const sectionProps = {
    state,
    set: (path: string, value: unknown) =>
      setState((st) => ({ ...st, profile: setIn(st.profile, path, value) })),
    update: setState,
    problem: problemOf,
  };
  const component =
    step.id === 'database' || step.id === 'elasticsearch' || step.id === 'repository' ? step.id : undefined;

  const runTest = async (): Promise<void> => {
    setTest({ busy: true });
    try {
      if (step.id === 'destination') {
        setTest({
          busy: false,
          report: driveReport(await call(api, 'destinations:inspect', state.profile.destination)),
        });
        return;
      }
      const draft = step.id === 'check' ? state : stepDraft(state, component);
      setTest({
        busy: false,
        report: stepChecks(await call(api, 'profiles:preflight', request(draft)), step.id),
      });
    } catch (err) {
      setTest({ busy: false, error: errorInfo(err) });
    }
  };
  const go = (next: number): void => {
    setTest(undefined);
    setIndex(next);
  };
  const save = async (): Promise<void> => {
    setSaveError(undefined);
    try {
      const rec = await call(api, 'profiles:save', {
        profile: draftProfile(state),
        secrets: state.secrets,
        volumes: draftVolumes(state),
      });
      setSaved(rec);
      setState(editorFromRecord(rec));
    } catch (err) {
      setSaveError(errorInfo(err));
    }
  };

  return (
    <div className={s.root} data-testid="setup-wizard">
      <Title2 as="h1">Set up the first backup</Title2>
      <nav aria-label="Setup steps">
        <ol className={s.steps}>
          {STEPS.map((st, i) => (
            <li key={st.id}>
              <Button
                size="small"
                appearance={i === index ? 'primary' : 'subtle'}
                aria-current={i === index ? 'step' : undefined}
                onClick={() => go(i)}
              >
                {`${i + 1}. ${st.title}`}
              </Button>
            </li>
          ))}
        </ol>
      </nav>
      <Text as="h2" size={500} weight="semibold" ref={heading} tabIndex={-1}>
        {`Step ${index + 1} of ${STEPS.length}: ${step.title}`}
      </Text>
      <Text>{step.intro}</Text>
      {step.id === 'profile' ? (
        <>
          <div>
            <Button icon={<ArrowImportRegular />} onClick={() => setImporting(true)}>
              Import from Octane installation…
            </Button>
          </div>
          <GeneralSection {...sectionProps} />
        </>
      ) : null}
      {step.id === 'destination' ? <DestinationsSection {...sectionProps} /> : null}
      {step.id === 'database' ? <DatabaseSection {...sectionProps} /> : null}
      {step.id === 'elasticsearch' ? <ElasticsearchSection {...sectionProps} /> : null}
      {step.id === 'repository' ? <RepositorySection {...sectionProps} scan={{ busy: false }} /> : null}
      {step.id === 'schedule' ? <ScheduleSection {...sectionProps} /> : null}
      {step.id === 'alerts' ? <AlertsSection {...sectionProps} /> : null}
      {step.id !== 'profile' && step.id !== 'schedule' && step.id !== 'alerts' ? (
        <div className={s.nav}>
          <Button
            icon={<PlugConnectedRegular />}
            onClick={() => void runTest()}
            disabled={test?.busy === true}
          >
            {step.id === 'check' ? 'Run every check' : `Test ${step.title.toLowerCase()}`}
          </Button>
        </div>
      ) : null}
      {test ? (
        <PreflightPanel
          title={step.id === 'check' ? 'Preflight' : `Test: ${step.title}`}
          busy={test.busy}
          report={test.report}
          error={test.error}
        />
      ) : null}
      {step.id === 'check' ? (
        <Card>
          {saveError ? <ErrorBar error={saveError} title="Not saved" /> : null}
          {saved ? (
            <MessageBar intent="success">
              <MessageBarBody>
                Saved “{saved.profile.profile}”. Everything set here can be changed later under Profiles.
              </MessageBarBody>
            </MessageBar>
          ) : null}
          {/* The schedule only runs once its task exists: offered here, right after the save. */}
          {saved && state.profile.schedule ? <ScheduledTask state={state} /> : null}
          <div className={s.nav}>
            {saved ? (
              <>
                <Button appearance="primary" onClick={() => props.onDone(saved, true)}>
                  Back up now
                </Button>
                <Button onClick={() => props.onDone(saved, false)}>Finish</Button>
              </>
            ) : (
              <Button appearance="primary" onClick={() => void save()}>
                Save profile
              </Button>
            )}
          </div>
        </Card>
      ) : null}
      <div className={s.nav}>
        <Button disabled={index === 0} onClick={() => go(index - 1)}>
          Back
        </Button>
        <span className={s.grow} />
        {index < STEPS.length - 1 ? (
          <Button appearance="primary" onClick={() => go(index + 1)}>
            Next: {STEPS[index + 1]?.title}
          </Button>
        ) : null}
      </div>
      {importing ? (
        <ImportDialog
          open
          state={state}
          onApply={(next) => {
            setState(next);
            setImporting(false);
          }}
          onClose={() => setImporting(false)}
        />
      ) : null}
    </div>
  );
}
