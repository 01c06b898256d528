import { Field, Input, MessageBar, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import {
  stageList,
  type Readiness,
  type RestorePreparation,
  type RestoreStageId,
} from '@contract/restore-run.js';
import { formatDateTime } from '@contract/format.js';

/** Step 4: what is replaced, and the profile name typed to confirm it. */
export function ConfirmStep(props: {
  prep: RestorePreparation;
  selected: readonly RestoreStageId[];
  readiness: Readiness;
  typed: string;
  onTyped: (v: string) => void;
}) {
  const p = props.prep;
  return (
    <>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>
            This replaces {stageList(props.selected)} of “{p.profile}”
          </MessageBarTitle>
          Everything written to them since {formatDateTime(p.takenAt)} (when set {p.setName} was taken) is
          lost. The current repository folder and config files are moved aside, never deleted.
        </MessageBarBody>
      </MessageBar>
      {props.readiness.notes.map((x) => (
        <Text key={x} block>
          {x}
        </Text>
      ))}
      <Field label={`Type the profile name “${p.profile}” to confirm`} required>
        <Input
          name="confirm-name"
          value={props.typed}
          autoComplete="off"
          onChange={(_e, d) => props.onTyped(d.value)}
        />
      </Field>
    </>
  );
}
