// The drive rotation (profile key "rotation", docs/removable-media.md): removable drives used in
// turn, each found by the id in its marker file. A connected drive is added by its marker (one is
// written at its root when it has none, as `octane-backup drives --mark` does); an offsite drive
// by the id `octane-backup drives` printed for it.
import {
  Button,
  Checkbox,
  Field,
  FieldContextProvider,
  Input,
  Radio,
  RadioGroup,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import {
  DEFAULT_CONNECTED_MIN_INTERVAL_HOURS,
  DEFAULT_ROTATION_FOLDER,
  type RotationConfig,
  type RotationDriveConfig,
} from '@contract/profile.js';
import { fieldHint, fieldLabel, fieldTexts } from '@contract/profile-fields.js';
import { rotationDriveSchema } from '@contract/profile-schema.js';
import { fieldIndex } from '@contract/schema-kit.js';
import type { DriveInfo } from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { TextField } from '../../components/text-field.js';
import { AddRegular, ArrowSyncRegular, DeleteRegular, UsbStickRegular } from '../../icons.js';
import { useAsync } from '../../state/use-async.js';
import { DriveTable, type DriveAction } from './drive-table.js';
import { SectionCard, useFieldStyles } from './section-card.js';
import { numberOrUndefined, schemaField, str, type SectionProps } from './section-props.js';

// A drive's own keys are inside a list, which the profile's field index does not enter.
const driveTexts = fieldIndex(rotationDriveSchema);
const DRIVE_NAME = driveTexts.get('name')?.label ?? 'Drive name';
const DRIVE_ID = driveTexts.get('id')?.label ?? 'Drive id';
const DRIVES_KEY = 'rotation.drives';

/** The first 8 characters of a marker id: enough for people to tell drives apart. */
const shortId = (id: string): string => id.slice(0, 8);
const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

const WHEN_CONNECTED: { value: '' | 'backup' | 'export'; text: string }[] = [
  { value: '', text: 'Nothing' },
  // The config file's words in brackets: the schema's hint below explains them.
  { value: 'backup', text: 'Back up (“backup”)' },
  { value: 'export', text: 'Copy the newest usable set to it (“export”)' },
];

export function RotationSection(props: SectionProps) {
  const api = useApi();
  const f = useFieldStyles();
  const { state, set, problem } = props;
  const r = state.profile.rotation;
  const inRotation = r?.drives ?? [];
  const drives = useAsync(() => call(api, 'drives:list'), 'drives');
  const [typedId, setTypedId] = useState('');
  const [marking, setMarking] = useState<{ root?: string; error?: ReturnType<typeof errorInfo> }>({});

  const setDrives = (next: (drives: RotationDriveConfig[]) => RotationDriveConfig[]): void =>
    props.update((st) => {
      const rotation: RotationConfig = {
        ...st.profile.rotation,
        drives: next(st.profile.rotation?.drives ?? []),
      };
      return { ...st, profile: { ...st.profile, rotation } };
    });
  const addId = (id: string): void => setDrives((ds) => [...ds, { id }]);
  // A connected drive is added once, even when pressed again before the listing shows its marker.
  const addOnce = (id: string): void =>
    setDrives((ds) => (ds.some((x) => sameId(x.id, id)) ? ds : [...ds, { id }]));
  const addTyped = (): void => {
    const id = typedId.trim();
    if (id !== '') addId(id);
    setTypedId('');
  };
  // A drive without a marker gets one (written at its root) so it can be found whatever its letter.
  const addConnected = async (drive: DriveInfo): Promise<void> => {
    if (drive.marker) {
      addOnce(drive.marker.id);
      return;
    }
    setMarking({ root: drive.root });
    try {
      const binding = await call(api, 'drives:bind', drive.root);
      addOnce(binding.volumeId);
      setMarking({});
      drives.reload();
    } catch (err) {
      setMarking({ error: errorInfo(err) });
    }
  };
  const actionOf = (d: DriveInfo): DriveAction => {
    if (d.marker && inRotation.some((x) => sameId(x.id, d.marker?.id ?? ''))) {
      return { text: 'In the rotation', disabled: true };
    }
    return { text: d.marker ? 'Add to the rotation' : 'Mark and add' };
  };
  // Removable drives, and any drive that already carries a marker: a fixed disk is not offered for
  // marking (its root is the system's, and it does not travel offsite).
  const offered = drives.value?.filter((d) => d.removable || d.marker !== undefined);
  const connectedAt = (id: string): string | undefined =>
    drives.value?.find((d) => d.marker !== undefined && sameId(d.marker.id, id))?.root;

  const whenConnected = r?.whenConnected ?? '';
  const drivesProblem = problem(DRIVES_KEY);
  return (
    <SectionCard
      testId="section-rotation"
      icon={<UsbStickRegular fontSize={24} />}
      title={fieldLabel('rotation')}
      description={
        fieldTexts('rotation')?.description ??
        'Copies of the sets on removable drives used in turn, one at the office and the others offsite.'
      }
    >
      <Field
        className={f.wide}
        label={fieldLabel(DRIVES_KEY)}
        hint={fieldHint(DRIVES_KEY)}
        validationMessage={drivesProblem}
        validationState={drivesProblem ? 'error' : 'none'}
      >
        {/* The table is out of the Field's context (else every input would get its one control id);
            the Field's control is the "add by id" input, which the error summary focuses. */}
        <FieldContextProvider value={undefined}>
          {inRotation.length === 0 ? (
            <Text>No drives yet: add a connected drive below, or an offsite one by its id.</Text>
          ) : (
            <Table size="small" aria-label={fieldLabel(DRIVES_KEY)}>
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{DRIVE_NAME}</TableHeaderCell>
                  <TableHeaderCell>{DRIVE_ID}</TableHeaderCell>
                  <TableHeaderCell>Now</TableHeaderCell>
                  <TableHeaderCell style={{ width: '110px' }} />
                </TableRow>
              </TableHeader>
              <TableBody>
                {inRotation.map((d, i) => {
                  const who = `drive ${i + 1} (id ${shortId(d.id)})`;
                  const root = connectedAt(d.id);
                  return (
                    <TableRow key={i} data-testid="rotation-config-drive">
                      <TableCell>
                        <Input
                          size="small"
                          className={f.fill}
                          value={str(d.name)}
                          placeholder="Offsite A"
                          aria-label={`${DRIVE_NAME}, ${who}`}
                          onChange={(_e, v) =>
                            setDrives((ds) => ds.map((x, j) => (j === i ? { ...x, name: v.value } : x)))
                          }
                        />
                      </TableCell>
                      <TableCell style={{ overflowWrap: 'anywhere' }}>{d.id}</TableCell>
                      <TableCell>{root ? `connected at ${root}` : 'not connected'}</TableCell>
                      <TableCell>
                        <Button
                          size="small"
                          icon={<DeleteRegular />}
                          aria-label={`Remove ${d.name ? `“${d.name}”` : who} from the rotation`}
                          onClick={() => setDrives((ds) => ds.filter((_x, j) => j !== i))}
                        >
                          Remove
                        </Button>
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          )}
        </FieldContextProvider>
        <div className={f.row}>
          <Input
            // The key's input: the error summary moves the focus here.
            name={DRIVES_KEY}
            value={typedId}
            placeholder="Add an offsite drive by its id"
            aria-label="Add an offsite drive by its id (octane-backup drives prints it)"
            onChange={(_e, d) => setTypedId(d.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') addTyped();
            }}
          />
          <Button icon={<AddRegular />} onClick={addTyped} disabled={typedId.trim() === ''}>
            Add by id
          </Button>
        </div>
      </Field>
      <div className={f.wide}>
        <div className={f.row}>
          <Text weight="semibold">Connected drives</Text>
          <Button
            size="small"
            icon={<ArrowSyncRegular />}
            onClick={drives.reload}
            aria-label="Refresh connected drives"
          >
            Refresh
          </Button>
        </div>
        <Text block size={200}>
          “Mark and add” writes a marker file (.octane-backup-volume.json) at the drive’s root, as
          “octane-backup drives --mark” does: the drive is found by it whatever its letter.
        </Text>
        {drives.error ? <ErrorBar error={drives.error} /> : null}
        {marking.error ? <ErrorBar error={marking.error} /> : null}
        {offered ? (
          <DriveTable
            drives={offered}
            label="Connected drives for the rotation"
            action={actionOf}
            onUse={(d) => void addConnected(d)}
            {...(marking.root !== undefined ? { busyRoot: marking.root } : {})}
          />
        ) : null}
      </div>
      <TextField
        {...schemaField('rotation.keepLast')}
        type="number"
        value={str(r?.keepLast)}
        problem={problem('rotation.keepLast')}
        onChange={(v) => set('rotation.keepLast', numberOrUndefined(v))}
      />
      <TextField
        {...schemaField('rotation.warnAfterDays')}
        type="number"
        value={str(r?.warnAfterDays)}
        problem={problem('rotation.warnAfterDays')}
        onChange={(v) => set('rotation.warnAfterDays', numberOrUndefined(v))}
      />
      <TextField
        {...schemaField('rotation.folder')}
        value={str(r?.folder)}
        placeholder={DEFAULT_ROTATION_FOLDER}
        problem={problem('rotation.folder')}
        onChange={(v) => set('rotation.folder', v === '' ? undefined : v)}
      />
      <Field hint={fieldHint('rotation.exportAfterRun')}>
        <Checkbox
          name="rotation.exportAfterRun"
          label={fieldLabel('rotation.exportAfterRun')}
          checked={r?.exportAfterRun === true}
          onChange={(_e, d) => set('rotation.exportAfterRun', d.checked === true ? true : undefined)}
        />
      </Field>
      <Field
        label={fieldLabel('rotation.whenConnected')}
        hint={fieldHint('rotation.whenConnected')}
        validationMessage={problem('rotation.whenConnected')}
        validationState={problem('rotation.whenConnected') ? 'error' : 'none'}
      >
        <RadioGroup
          name="rotation.whenConnected"
          value={whenConnected}
          onChange={(_e, d) => set('rotation.whenConnected', d.value === '' ? undefined : d.value)}
        >
          {WHEN_CONNECTED.map((o) => (
            <Radio key={o.value} value={o.value} label={o.text} />
          ))}
        </RadioGroup>
      </Field>
      <TextField
        {...schemaField('rotation.minIntervalHours')}
        type="number"
        value={str(r?.minIntervalHours)}
        placeholder={String(DEFAULT_CONNECTED_MIN_INTERVAL_HOURS)}
        problem={problem('rotation.minIntervalHours')}
        onChange={(v) => set('rotation.minIntervalHours', numberOrUndefined(v))}
      />
      <Field hint={fieldHint('rotation.eject')}>
        <Checkbox
          name="rotation.eject"
          label={fieldLabel('rotation.eject')}
          checked={r?.eject === true}
          onChange={(_e, d) => set('rotation.eject', d.checked === true ? true : undefined)}
        />
      </Field>
    </SectionCard>
  );
}
