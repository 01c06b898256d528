import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { OctaneImportView } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { useAsync } from '../../state/use-async.js';
import { ErrorBar } from '../../components/error-bar.js';
import { FolderField } from '../../components/folder-field.js';
import type { EditorState } from '../profiles/editor-model.js';
import { applyImport, importRows, sourceText } from './import-model.js';
import { fieldHint, fieldLabel, fieldTexts } from '@contract/profile-fields.js';

const useStyles = makeStyles({
  surface: { maxWidth: '920px', width: '92vw' },
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flexGrow: 1 },
  mono: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    overflowWrap: 'anywhere',
  },
  muted: { color: tokens.colorNeutralForeground3 },
  wrap: { overflowWrap: 'anywhere' },
  // Dialog content is a flex column: without this, a multi-line message bar is squeezed.
  bar: { flexShrink: 0 },
});

const show = (v: unknown): string =>
  Array.isArray(v)
    ? v.join(', ')
    : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : '';

/** "Import from Octane installation…": read Octane's conf folder in main, show it, apply chosen values. */
export function ImportDialog(props: {
  open: boolean;
  state: EditorState;
  onApply: (next: EditorState) => void;
  onClose: () => void;
}) {
  const api = useApi();
  const s = useStyles();
  // undefined until the admin types: then the profile's folder, or Octane's default for this OS.
  const [typed, setDir] = useState<string | undefined>(props.state.profile.octaneConfigDir);
  const defaultDir = useAsync(
    () => call(api, 'octane:default-dir'),
    props.open && typed === undefined ? 'default' : undefined,
  );
  const dir = typed ?? defaultDir.value ?? '';
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState<OctaneImportView | undefined>();
  const [error, setError] = useState<ErrorInfo | undefined>();
  const [chosen, setChosen] = useState<Set<string>>(new Set());

  const rows = useMemo(() => (view ? importRows(props.state, view) : []), [view, props.state]);

  const read = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      const v = await call(api, 'octane:import', dir);
      setView(v);
      // Preselected: only where the form holds nothing the admin typed.
      setChosen(
        new Set(
          importRows(props.state, v)
            .filter((r) => r.untouched)
            .map((r) => r.key),
        ),
      );
    } catch (err) {
      setError(errorInfo(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (key: string, on: boolean): void =>
    setChosen((c) => {
      const next = new Set(c);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface className={s.surface}>
        <DialogBody>
          <DialogTitle>Import from Octane installation</DialogTitle>
          <DialogContent className={s.content}>
            <div className={s.row}>
              <div className={s.grow}>
                <FolderField
                  label={fieldLabel('octaneConfigDir')}
                  name="octane.configDir"
                  value={dir}
                  onChange={setDir}
                  hint={fieldHint('octaneConfigDir')}
                />
              </div>
              <Button appearance="primary" disabled={busy || dir.trim() === ''} onClick={() => void read()}>
                Read
              </Button>
            </div>
            {error ? <ErrorBar error={error} /> : null}
            <MessageBar className={s.bar} intent="info" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Passwords are never imported</MessageBarTitle>
                Octane keeps them encrypted: type them into the profile yourself.
                {view && view.secretsNotImported.length > 0
                  ? ` Seen in ${view.secretsNotImported.map(sourceText).join('; ')}.`
                  : ''}
              </MessageBarBody>
            </MessageBar>
            {view ? (
              <>
                <Text>
                  Read{' '}
                  {view.filesRead.length > 0
                    ? view.filesRead.map((f) => f.split(/[\\/]/).pop()).join(', ')
                    : 'no file'}{' '}
                  in <span className={s.mono}>{view.dir}</span>
                  {view.octaneVersion ? ` — Octane ${view.octaneVersion}` : ''}.
                </Text>
                {rows.length > 0 ? (
                  <Table size="small" aria-label="Values found">
                    <TableHeader>
                      <TableRow>
                        <TableHeaderCell style={{ width: '7%' }}>Apply</TableHeaderCell>
                        <TableHeaderCell style={{ width: '20%' }}>Setting</TableHeaderCell>
                        <TableHeaderCell style={{ width: '27%' }}>Found</TableHeaderCell>
                        <TableHeaderCell style={{ width: '24%' }}>From</TableHeaderCell>
                        <TableHeaderCell>In the form now</TableHeaderCell>
                      </TableRow>
                    </TableHeader>
                    <TableBody>
                      {rows.map((r) => (
                        <TableRow key={r.key} data-testid="import-row">
                          <TableCell>
                            <Checkbox
                              aria-label={`Apply ${r.key}`}
                              checked={chosen.has(r.key)}
                              onChange={(_e, d) => toggle(r.key, d.checked === true)}
                            />
                          </TableCell>
                          <TableCell>
                            {fieldTexts(r.key)?.label}
                            <div className={s.mono}>{r.key}</div>
                          </TableCell>
                          <TableCell className={s.mono}>{show(r.value)}</TableCell>
                          <TableCell>{r.source ?? <span className={s.muted}>derived</span>}</TableCell>
                          <TableCell className={r.untouched ? `${s.wrap} ${s.muted}` : s.wrap}>
                            {show(r.current) || '–'}
                          </TableCell>
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                ) : null}
                {view.found.length > 0 ? (
                  <details>
                    <summary>Everything found in the files ({view.found.length})</summary>
                    <ul className={s.mono} aria-label="Everything found">
                      {view.found.map((f) => (
                        <li key={`${f.key}|${f.source.file}|${f.source.key}`}>
                          {f.key} = {f.value} — {sourceText(f.source)}
                        </li>
                      ))}
                    </ul>
                  </details>
                ) : null}
                {view.problems.length > 0 ? (
                  <MessageBar className={s.bar} intent="warning" layout="multiline">
                    <MessageBarBody>
                      <MessageBarTitle>Not found or to fill in</MessageBarTitle>
                      <ul>
                        {view.problems.map((p) => (
                          <li key={p}>{p}</li>
                        ))}
                      </ul>
                    </MessageBarBody>
                  </MessageBar>
                ) : null}
              </>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button
              appearance="primary"
              disabled={!view || chosen.size === 0}
              onClick={() => view && props.onApply(applyImport(props.state, view, chosen))}
            >
              Apply {chosen.size} value(s) to the form
            </Button>
            <Button onClick={props.onClose}>Close</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
