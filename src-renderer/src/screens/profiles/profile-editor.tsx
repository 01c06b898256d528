import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { PreflightReport } from '@contract/preflight.js';
import type {
  DestinationSlot,
  FieldProblem,
  FolderScan,
  PreflightRequest,
  ProfileRecord,
  SizeEstimate,
  VolumeBinding,
} from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { useAsync, useDebounced } from '../../state/use-async.js';
import { ArrowImportRegular, DeleteRegular, SaveRegular, ShieldTaskRegular } from '../../icons.js';
import { AlertsSection } from '../operations/alerts-section.js';
import { ImportDialog } from '../operations/import-dialog.js';
import { RetentionSection } from '../operations/retention-section.js';
import { ScheduleSection } from '../operations/schedule-section.js';
import { DatabaseSection } from './database-section.js';
import { DestinationsSection } from './destinations-section.js';
import {
  draftProfile,
  draftVolumes,
  editorFromRecord,
  editsOf,
  getIn,
  newEditorState,
  problemsByKey,
  setIn,
  type EditorState,
} from './editor-model.js';
import { ElasticsearchSection } from './elasticsearch-section.js';
import { ErrorSummary } from './error-summary.js';
import { NEW_PROFILE_KEY, useDrafts } from './drafts-context.js';
import { GeneralSection } from './general-section.js';
import { PreflightPanel } from './preflight-panel.js';
import { RepositorySection } from './repository-section.js';
import { RotationSection } from './rotation-section.js';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalXXL,
  },
  // Wraps rather than pushing Delete off screen in a 1024 px window.
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    position: 'sticky',
    top: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground2,
    paddingTop: tokens.spacingVerticalL,
    paddingBottom: tokens.spacingVerticalS,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  title: {
    margin: 0,
    flexGrow: 1,
    flexBasis: '16em',
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  unsaved: { color: tokens.colorPaletteDarkOrangeForeground1, whiteSpace: 'nowrap' },
  nowrap: { whiteSpace: 'nowrap', flexShrink: 0 },
  grow: { flexGrow: 1 },
});

const VALIDATE_DELAY_MS = 350;

export function ProfileEditor(props: {
  record?: ProfileRecord;
  notice?: string;
  onSaved: (rec: ProfileRecord) => void;
  onDeleted: () => void;
  /** Given this form's Save, so the unsaved-changes dialog can save before leaving. */
  registerSave?: (save: () => Promise<boolean>) => void;
}) {
  const api = useApi();
  const s = useStyles();
  const drafts = useDrafts();
  const draftKey = props.record?.profile.profile ?? NEW_PROFILE_KEY;
  // What is stored: the form is "changed" exactly when Save would send something else.
  const [baseline, setBaseline] = useState(() =>
    editsOf(props.record ? editorFromRecord(props.record) : newEditorState()),
  );
  const [state, setState] = useState<EditorState>(
    () => drafts.get(draftKey) ?? (props.record ? editorFromRecord(props.record) : newEditorState()),
  );
  const changed = useMemo(() => editsOf(state) !== baseline, [state, baseline]);
  const { put, drop } = drafts;
  useEffect(() => {
    if (changed) put(draftKey, state);
    else drop(draftKey);
  }, [changed, state, draftKey, put, drop]);
  const [showAll, setShowAll] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ErrorInfo | undefined>();
  // Failed Saves so far: each moves the focus to the error summary.
  const [attempts, setAttempts] = useState(0);
  const [savedAt, setSavedAt] = useState<string | undefined>(
    props.notice ? new Date().toISOString() : undefined,
  );
  const [preflight, setPreflight] = useState<
    { busy: boolean; report?: PreflightReport; error?: ErrorInfo } | undefined
  >();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [importing, setImporting] = useState(false);

  const draft = useMemo(() => draftProfile(state), [state]);
  const debounced = useDebounced(draft, VALIDATE_DELAY_MS);
  const debouncedKey = useMemo(() => JSON.stringify(debounced), [debounced]);
  // Problems with the draft they were found for: a field edited since is not judged on stale answers.
  const validation = useAsync(
    async () => ({ draft: debounced, problems: await call(api, 'profiles:validate', debounced) }),
    debouncedKey,
  );
  const validated: { draft: unknown; problems: FieldProblem[] } = validation.value ?? {
    draft: undefined,
    problems: [],
  };
  const problems = validated.problems;

  const repoPath = useDebounced(state.enabled.repository ? (state.profile.repository?.path ?? '') : '', 600);
  const scanned = useAsync(
    () => call(api, 'repository:scan', repoPath),
    repoPath.trim() ? repoPath : undefined,
  );
  const scan: { busy: boolean; value?: FolderScan } =
    scanned.current && scanned.value ? { busy: false, value: scanned.value } : { busy: scanned.loading };

  // The editor's own record (updated by Save), never a neighbour's while the list reloads.
  const storedName = state.original?.profile.profile;
  const estimated = useAsync(
    () => call(api, 'profiles:estimate', storedName as string),
    storedName === undefined ? undefined : `${storedName}\u0000${savedAt ?? ''}`,
  );
  const estimate: SizeEstimate | undefined = estimated.value ?? undefined;
  const shownEstimate: SizeEstimate | undefined =
    estimate ??
    (scan.value && scan.value.bytes > 0
      ? {
          bytes: scan.value.bytes,
          basis: 'the repository folder alone (database and Elasticsearch not counted yet)',
        }
      : undefined);

  // Problems only Save can find (a name already taken) hold until the form changes.
  const [saveProblems, setSaveProblems] = useState<{ draft: string; problems: FieldProblem[] } | undefined>();
  const draftText = useMemo(() => JSON.stringify(draft), [draft]);
  const allProblems = useMemo(() => {
    const extra =
      saveProblems?.draft === draftText
        ? saveProblems.problems.filter((p) => !problems.some((q) => q.key === p.key))
        : [];
    return [...problems, ...extra];
  }, [problems, saveProblems, draftText]);
  const byKey = useMemo(() => problemsByKey(allProblems), [allProblems]);
  // Before the first save, only values the admin typed are judged; "is required" waits for Save.
  const problem = useCallback(
    (key: string) => {
      const now = getIn(draft, key);
      if (!showAll && now === undefined) return undefined;
      const fromSave = saveProblems?.draft === draftText;
      if (!fromSave && JSON.stringify(getIn(validated.draft, key)) !== JSON.stringify(now)) return undefined;
      return byKey.get(key);
    },
    [byKey, draft, showAll, validated.draft, saveProblems, draftText],
  );

  const set = useCallback(
    (path: string, value: unknown) => setState((st) => ({ ...st, profile: setIn(st.profile, path, value) })),
    [],
  );
  const sectionProps = { state, set, update: setState, problem };

  const save = async (): Promise<boolean> => {
    setShowAll(true);
    setAttempts((n) => n + 1);
    setSaving(true);
    setSaveError(undefined);
    const req: Parameters<typeof call<'profiles:save'>>[2] = {
      profile: draft,
      secrets: state.secrets,
      volumes: draftVolumes(state),
    };
    if (storedName !== undefined) req.previousName = storedName;
    try {
      const rec = await call(api, 'profiles:save', req);
      const stored = editorFromRecord(rec);
      setState(stored);
      setBaseline(editsOf(stored));
      drop(draftKey);
      setSavedAt(new Date().toISOString());
      props.onSaved(rec);
      return true;
    } catch (err) {
      const info = errorInfo(err);
      const listed = info.details?.problems;
      if (Array.isArray(listed))
        setSaveProblems({ draft: JSON.stringify(req.profile), problems: listed as FieldProblem[] });
      setSaveError(info);
      return false;
    } finally {
      setSaving(false);
    }
  };

  const { registerSave } = props;
  useEffect(() => registerSave?.(save));

  const runPreflight = async (): Promise<void> => {
    setShowAll(true);
    setPreflight({ busy: true });
    const req: PreflightRequest = { profile: draft, secrets: state.secrets };
    if (storedName !== undefined) req.storedName = storedName;
    const volumes = Object.fromEntries(Object.entries(draftVolumes(state)).filter(([, b]) => b)) as Partial<
      Record<DestinationSlot, VolumeBinding>
    >;
    if (Object.keys(volumes).length > 0) req.volumes = volumes;
    try {
      setPreflight({ busy: false, report: await call(api, 'profiles:preflight', req) });
    } catch (err) {
      setPreflight({ busy: false, error: errorInfo(err) });
    }
  };

  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    if (storedName === undefined) return;
    try {
      await call(api, 'profiles:delete', storedName);
      drop(draftKey);
      props.onDeleted();
    } catch (err) {
      setSaveError(errorInfo(err));
    }
  };

  return (
    <div className={s.root} data-testid="profile-editor">
      <div className={s.bar}>
        <Title2 as="h1" className={s.title}>
          {storedName ? `Profile “${storedName}”` : 'New profile'}
        </Title2>
        <Text role="status" className={s.unsaved}>
          {changed ? 'Unsaved changes' : ''}
        </Text>
        <Button appearance="primary" icon={<SaveRegular />} onClick={() => void save()} disabled={saving}>
          Save
        </Button>
        <Button
          icon={<ShieldTaskRegular />}
          onClick={() => void runPreflight()}
          disabled={preflight?.busy === true}
        >
          Preflight
        </Button>
        <Button className={s.nowrap} icon={<ArrowImportRegular />} onClick={() => setImporting(true)}>
          Import from Octane installation…
        </Button>
        {storedName ? (
          <Button icon={<DeleteRegular />} onClick={() => setConfirmDelete(true)}>
            Delete
          </Button>
        ) : null}
      </div>
      {savedAt && !saveError && !changed ? (
        <MessageBar intent="success">
          <MessageBarBody>Saved. Passwords are stored encrypted for your Windows account.</MessageBarBody>
        </MessageBar>
      ) : null}
      {/* Refused for its settings: the summary lists them (by label, linked to the field), not one paragraph. */}
      {saveError && !Array.isArray(saveError.details?.problems) ? (
        <ErrorBar error={saveError} title="Not saved" />
      ) : null}
      {showAll ? <ErrorSummary problems={allProblems} attempt={attempts} /> : null}
      {preflight ? (
        <PreflightPanel busy={preflight.busy} report={preflight.report} error={preflight.error} />
      ) : null}
      <GeneralSection {...sectionProps} />
      <DatabaseSection {...sectionProps} />
      <ElasticsearchSection {...sectionProps} />
      <RepositorySection {...sectionProps} scan={scan} />
      <DestinationsSection {...sectionProps} estimate={shownEstimate} />
      <RotationSection {...sectionProps} />
      <ScheduleSection {...sectionProps} />
      <RetentionSection {...sectionProps} />
      <AlertsSection {...sectionProps} />
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
      <Dialog open={confirmDelete} onOpenChange={(_e, d) => setConfirmDelete(d.open)}>
        <DialogSurface>
          <DialogBody>
            <DialogTitle>Delete profile “{storedName}”?</DialogTitle>
            <DialogContent>
              The profile and its stored passwords are removed. Backup sets already written stay on their
              drives.
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" onClick={() => void remove()}>
                Delete
              </Button>
              <Button onClick={() => setConfirmDelete(false)}>Keep</Button>
            </DialogActions>
          </DialogBody>
        </DialogSurface>
      </Dialog>
    </div>
  );
}
