import {
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  Option,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ComponentId } from '@contract/profile.js';
import type {
  DestinationInfo,
  DestinationSlot,
  DriveInfo,
  SizeEstimate,
  VolumeBinding,
} from '@contract/ui.js';
import { call, useApi } from '../../api/api-context.js';
import { errorInfo } from '../../api/api-error.js';
import { ErrorBar } from '../../components/error-bar.js';
import { FolderField } from '../../components/folder-field.js';
import { formatBytes } from '@contract/format.js';
import { ArrowSyncRegular, HardDriveRegular } from '../../icons.js';
import { useAsync } from '../../state/use-async.js';
import { DriveTable } from './drive-table.js';
import { SectionCard, useFieldStyles } from './section-card.js';
import { fieldLabel } from '@contract/profile-fields.js';
import { schemaField, str, type SectionProps } from './section-props.js';

const SLOT_TEXT: Record<DestinationSlot, string> = {
  default: 'the profile (all components)',
  database: 'the database',
  elasticsearch: 'Elasticsearch',
  repository: 'the repository folder',
};
export const BACKUP_FOLDER = 'OctaneBackups';

export function folderOnDrive(root: string): string {
  const sep = root.includes('\\') ? '\\' : '/';
  return root.endsWith(sep) ? `${root}${BACKUP_FOLDER}` : `${root}${sep}${BACKUP_FOLDER}`;
}

const useStyles = makeStyles({
  space: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

function SpaceLine(props: {
  path: string;
  info?: DestinationInfo;
  estimate?: SizeEstimate;
  binding?: VolumeBinding | null;
}) {
  const { info, estimate } = props;
  const short = info?.freeBytes !== undefined && estimate !== undefined && info.freeBytes < estimate.bytes;
  return (
    <div data-testid="destination-space">
      <Text weight="semibold">{props.path}</Text>
      <Text>
        {' — '}
        {info?.freeBytes !== undefined ? `${formatBytes(info.freeBytes)} free` : 'free space unknown'}
        {info?.totalBytes !== undefined ? ` of ${formatBytes(info.totalBytes)}` : ''}
        {info?.drive?.fileSystem ? `, ${info.drive.fileSystem}` : ''}
        {estimate
          ? `; one set needs about ${formatBytes(estimate.bytes)} (estimated from ${estimate.basis})`
          : ''}
        {info && !info.exists ? '; the folder will be created' : ''}
      </Text>
      {props.binding ? (
        <Text block size={200}>
          On backup drive {props.binding.label ? `“${props.binding.label}” ` : ''}(id{' '}
          {props.binding.volumeId.slice(0, 8)}): found by its marker file, so a changed drive letter does not
          matter.
        </Text>
      ) : null}
      {short ? (
        <MessageBar intent="warning">
          <MessageBarBody>Not enough free space for one more set here.</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}

export function DestinationsSection(props: SectionProps & { estimate?: SizeEstimate }) {
  const api = useApi();
  const f = useFieldStyles();
  const s = useStyles();
  const { state, problem } = props;
  const drives = useAsync(() => call(api, 'drives:list'), 'drives');
  const [slot, setSlot] = useState<DestinationSlot>('default');
  const [binding, setBinding] = useState<{ root?: string; error?: ReturnType<typeof errorInfo> }>({});
  const enabledIds = (['database', 'elasticsearch', 'repository'] as ComponentId[]).filter(
    (id) => state.enabled[id],
  );
  const paths: { slot: DestinationSlot; path: string }[] = [
    { slot: 'default', path: state.profile.destination },
  ];
  if (state.perComponent)
    for (const id of enabledIds) {
      const p = state.profile.destinations?.[id];
      if (p) paths.push({ slot: id, path: p });
    }
  const distinct = paths.filter((p, i) => p.path && paths.findIndex((q) => q.path === p.path) === i);
  const spaceKey = distinct.map((p) => p.path).join('|');
  const space = useAsync(
    () => Promise.all(distinct.map((p) => call(api, 'destinations:inspect', p.path).catch(() => undefined))),
    spaceKey,
  );

  const setPath = (target: DestinationSlot, path: string): void => {
    props.update((st) => {
      const key = target === 'default' ? 'destination' : `destinations.${target}`;
      const profile =
        key === 'destination'
          ? { ...st.profile, destination: path }
          : { ...st.profile, destinations: { ...st.profile.destinations, [target]: path } };
      // A typed path is not the drive that was picked: forget the binding for this slot.
      return { ...st, profile, volumes: { ...st.volumes, [target]: null } };
    });
  };
  const pickDrive = async (drive: DriveInfo): Promise<void> => {
    const folder = folderOnDrive(drive.root);
    setBinding({ root: drive.root });
    try {
      const b = await call(api, 'drives:bind', folder);
      props.update((st) => {
        const profile =
          slot === 'default'
            ? { ...st.profile, destination: folder }
            : { ...st.profile, destinations: { ...st.profile.destinations, [slot]: folder } };
        return { ...st, profile, volumes: { ...st.volumes, [slot]: b } };
      });
      setBinding({});
      drives.reload();
    } catch (err) {
      setBinding({ error: errorInfo(err) });
    }
  };

  return (
    <SectionCard
      testId="section-destinations"
      icon={<HardDriveRegular fontSize={24} />}
      title="Destinations"
      description="Where the sets are written: a removable drive, a share or any folder. One destination per component protects against losing one drive."
    >
      <FolderField
        {...schemaField('destination')}
        required
        placeholder="E:\OctaneBackups"
        value={str(state.profile.destination)}
        problem={problem('destination')}
        onChange={(v) => setPath('default', v)}
      />
      <Switch
        label={fieldLabel('destinations')}
        checked={state.perComponent}
        onChange={(_e, d) => props.update((st) => ({ ...st, perComponent: d.checked }))}
      />
      {state.perComponent
        ? enabledIds.map((id) => (
            <FolderField
              key={id}
              {...schemaField(`destinations.${id}`)}
              value={str(state.profile.destinations?.[id])}
              problem={problem(`destinations.${id}`)}
              onChange={(v) => setPath(id, v)}
            />
          ))
        : null}
      <div className={`${f.wide} ${s.space}`}>
        {distinct.map((p, i) => (
          <SpaceLine
            key={p.path}
            path={p.path}
            info={space.value?.[i]}
            estimate={props.estimate}
            binding={state.volumes[p.slot]}
          />
        ))}
      </div>
      <div className={f.wide}>
        <div className={f.row}>
          <Text weight="semibold">Drives on this computer</Text>
          <Button
            size="small"
            icon={<ArrowSyncRegular />}
            onClick={drives.reload}
            aria-label="Refresh drives"
          >
            Refresh
          </Button>
          {state.perComponent ? (
            <Field label="Use a drive for" orientation="horizontal">
              <Dropdown
                value={SLOT_TEXT[slot]}
                selectedOptions={[slot]}
                onOptionSelect={(_e, d) => setSlot(d.optionValue as DestinationSlot)}
              >
                {(['default', ...enabledIds] as DestinationSlot[]).map((x) => (
                  <Option key={x} value={x}>
                    {SLOT_TEXT[x]}
                  </Option>
                ))}
              </Dropdown>
            </Field>
          ) : null}
        </div>
        {drives.error ? <ErrorBar error={drives.error} /> : null}
        {binding.error ? <ErrorBar error={binding.error} /> : null}
        {drives.value ? (
          <DriveTable drives={drives.value} onUse={(d) => void pickDrive(d)} busyRoot={binding.root} />
        ) : null}
      </div>
    </SectionCard>
  );
}
