import { Dropdown, Field, Option, Spinner, Text } from '@fluentui/react-components';
import {
  ARCHIVE_FORMATS,
  CAPTURE_MODES,
  COMPRESSION_LEVELS,
  type RepositoryConfig,
} from '@contract/profile.js';
import type { FolderScan } from '@contract/ui.js';
import { FolderField } from '../../components/folder-field.js';
import { formatBytes } from '@contract/format.js';
import { FolderOpenRegular } from '../../icons.js';
import { SectionCard } from './section-card.js';
import { fieldHint, fieldLabel } from '@contract/profile-fields.js';
import { schemaField, str, type SectionProps } from './section-props.js';

const FORMAT_TEXT: Record<(typeof ARCHIVE_FORMATS)[number], string> = {
  zip: 'zip (opens anywhere)',
  tar: 'tar (no compression, fastest)',
  'tar.gz': 'tar.gz (recommended: constant memory, fastest; tar.exe on Windows 10+ extracts it)',
};
const CAPTURE_TEXT: Record<(typeof CAPTURE_MODES)[number], string> = {
  bracketed: 'Bracketed (recommended: seconds apart, no rights needed)',
  snapshot: 'Snapshot (frozen at the database point; administrator, local disk)',
  sequential: 'Sequential (after Elasticsearch; the widest window)',
};
const COMPRESSION_TEXT: Record<(typeof COMPRESSION_LEVELS)[number], string> = {
  none: 'None',
  fast: 'Fast',
  best: 'Best (slower)',
};

export function RepositorySection(props: SectionProps & { scan: { busy: boolean; value?: FolderScan } }) {
  const { state, set, problem } = props;
  const repo = state.profile.repository as RepositoryConfig;
  const format = repo.format ?? 'tar.gz';
  const compression = repo.compression ?? (format === 'tar' ? 'none' : 'fast');
  const capture = repo.capture ?? 'bracketed';
  const scan = props.scan.value;
  return (
    <SectionCard
      testId="section-repository"
      icon={<FolderOpenRegular fontSize={24} />}
      title="Repository folder"
      description="Its point comes last, after the database's: attachments and other files. Files added meanwhile are harmless orphans."
      enabled={state.enabled.repository}
      onEnabledChange={(on) => props.update((s) => ({ ...s, enabled: { ...s.enabled, repository: on } }))}
    >
      <FolderField
        {...schemaField('repository.path')}
        required
        placeholder="C:\octane\repo"
        value={str(repo.path)}
        problem={problem('repository.path')}
        onChange={(v) => set('repository.path', v)}
      />
      <Field label="Size found">
        {props.scan.busy ? (
          <Spinner size="tiny" label="Counting files…" labelPosition="after" />
        ) : scan ? (
          <Text data-testid="repository-size">
            {scan.complete || scan.files > 0
              ? `${formatBytes(scan.bytes)} in ${scan.files.toLocaleString()} files and ${scan.folders.toLocaleString()} folders`
              : ''}
            {scan.note ? ` ${scan.note}` : ''}
          </Text>
        ) : (
          <Text>Choose the folder to see its size.</Text>
        )}
      </Field>
      <Field
        label={fieldLabel('repository.format')}
        validationMessage={problem('repository.format')}
        validationState={problem('repository.format') ? 'error' : 'none'}
      >
        <Dropdown
          name="repository.format"
          value={FORMAT_TEXT[format]}
          selectedOptions={[format]}
          onOptionSelect={(_e, d) => {
            set('repository.format', d.optionValue);
            if (d.optionValue === 'tar') set('repository.compression', undefined);
          }}
        >
          {ARCHIVE_FORMATS.map((x) => (
            <Option key={x} value={x}>
              {FORMAT_TEXT[x]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field
        label={fieldLabel('repository.compression')}
        hint={format === 'tar' ? 'A plain tar is not compressed; choose tar.gz to compress.' : undefined}
        validationMessage={problem('repository.compression')}
        validationState={problem('repository.compression') ? 'error' : 'none'}
      >
        <Dropdown
          name="repository.compression"
          disabled={format === 'tar'}
          value={COMPRESSION_TEXT[compression]}
          selectedOptions={[compression]}
          onOptionSelect={(_e, d) => set('repository.compression', d.optionValue)}
        >
          {COMPRESSION_LEVELS.map((x) => (
            <Option key={x} value={x}>
              {COMPRESSION_TEXT[x]}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Field
        label={fieldLabel('repository.capture')}
        hint={fieldHint('repository.capture')}
        validationMessage={problem('repository.capture')}
        validationState={problem('repository.capture') ? 'error' : 'none'}
      >
        <Dropdown
          name="repository.capture"
          value={CAPTURE_TEXT[capture]}
          selectedOptions={[capture]}
          onOptionSelect={(_e, d) => set('repository.capture', d.optionValue)}
        >
          {CAPTURE_MODES.map((x) => (
            <Option key={x} value={x}>
              {CAPTURE_TEXT[x]}
            </Option>
          ))}
        </Dropdown>
      </Field>
    </SectionCard>
  );
}
