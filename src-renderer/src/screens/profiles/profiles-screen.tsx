import { Button, Spinner, Text, makeStyles, tokens, mergeClasses } from '@fluentui/react-components';
import { useState } from 'react';
import type { ErrorInfo } from '@contract/errors.js';
import type { ProfileRecord } from '@contract/ui.js';
import { ErrorBar } from '../../components/error-bar.js';
import { AddRegular } from '../../icons.js';
import { ProfileEditor } from './profile-editor.js';

const useStyles = makeStyles({
  root: { display: 'grid', gridTemplateColumns: '200px minmax(0, 1fr)', gap: tokens.spacingHorizontalXL },
  list: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXS,
    paddingTop: tokens.spacingVerticalL,
  },
  item: { justifyContent: 'flex-start' },
  selected: { backgroundColor: tokens.colorNeutralBackground1Selected },
});

export function ProfilesScreen(props: {
  profiles?: ProfileRecord[];
  loading: boolean;
  error?: ErrorInfo;
  selected?: string;
  onSelect: (name: string | undefined) => void;
  onChanged: () => void;
}) {
  const s = useStyles();
  const [creating, setCreating] = useState(props.profiles?.length === 0);
  const [notice, setNotice] = useState<string | undefined>();
  const record = creating
    ? undefined
    : (props.profiles?.find((p) => p.profile.profile === props.selected) ??
      (props.selected === undefined ? props.profiles?.[0] : undefined));
  return (
    <div className={s.root}>
      <nav className={s.list} aria-label="Profiles">
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => {
            setNotice(undefined);
            setCreating(true);
          }}
        >
          New profile
        </Button>
        {props.loading && !props.profiles ? <Spinner size="tiny" /> : null}
        {props.error ? <ErrorBar error={props.error} /> : null}
        {props.profiles?.map((p) => (
          <Button
            key={p.profile.profile}
            appearance="subtle"
            className={mergeClasses(
              s.item,
              !creating && record?.profile.profile === p.profile.profile && s.selected,
            )}
            onClick={() => {
              setNotice(undefined);
              setCreating(false);
              props.onSelect(p.profile.profile);
            }}
          >
            {p.profile.profile}
          </Button>
        ))}
        {props.profiles?.length === 0 ? <Text size={200}>No profiles yet.</Text> : null}
      </nav>
      {props.profiles ? (
        <ProfileEditor
          key={record?.profile.profile ?? '(new)'}
          record={record}
          notice={notice}
          onSaved={(rec) => {
            setNotice('saved');
            setCreating(false);
            props.onSelect(rec.profile.profile);
            props.onChanged();
          }}
          onDeleted={() => {
            setNotice(undefined);
            props.onSelect(undefined);
            props.onChanged();
          }}
        />
      ) : null}
    </div>
  );
}
