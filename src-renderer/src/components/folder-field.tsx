import { Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { call, useApi } from '../api/api-context.js';
import { FolderOpenRegular } from '../icons.js';

const useStyles = makeStyles({
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  input: { flexGrow: 1 },
});

export interface FolderFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  problem?: string;
  required?: boolean;
  /** Server-side paths (SQL Server's own folder, Elasticsearch's path.repo) cannot be picked on this PC. */
  browse?: boolean;
  placeholder?: string;
  name: string;
  /** A PEM certificate file instead of a folder (the file picker, filtered to certificates). */
  pick?: 'folder' | 'certificate';
}

const CERTIFICATES = [{ name: 'PEM certificate', extensions: ['pem', 'crt', 'cer'] }];

export function FolderField(props: FolderFieldProps) {
  const api = useApi();
  const s = useStyles();
  const pick = async (): Promise<void> => {
    const options = { title: props.label, defaultPath: props.value || undefined };
    const picked = await (
      props.pick === 'certificate'
        ? call(api, 'dialog:pick-file', { ...options, filters: CERTIFICATES })
        : call(api, 'dialog:pick-folder', options)
    ).catch(() => null);
    if (picked) props.onChange(picked);
  };
  return (
    <Field
      label={props.label}
      hint={props.hint}
      required={props.required}
      validationState={props.problem ? 'error' : 'none'}
      validationMessage={props.problem}
    >
      <div className={s.row}>
        <Input
          className={s.input}
          name={props.name}
          value={props.value}
          placeholder={props.placeholder}
          onChange={(_e, d) => props.onChange(d.value)}
        />
        {props.browse !== false ? (
          <Button
            icon={<FolderOpenRegular />}
            onClick={() => void pick()}
            aria-label={`Browse for ${props.label}`}
          >
            Browse…
          </Button>
        ) : null}
      </div>
    </Field>
  );
}
