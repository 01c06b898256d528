import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';

const useStyles = makeStyles({
  head: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  pre: {
    margin: 0,
    padding: tokens.spacingVerticalS,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
});

/** A file or command to paste elsewhere, with a Copy button. */
export function CopyBlock({ title, text }: { title: string; text: string }) {
  const s = useStyles();
  const [copied, setCopied] = useState<boolean | undefined>();
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      // No clipboard access (e.g. the window lost focus): the text stays selectable.
      setCopied(false);
    }
  };
  return (
    <div>
      <div className={s.head}>
        <Text weight="semibold">{title}</Text>
        <Button size="small" onClick={() => void copy()} aria-label={`Copy ${title}`}>
          {copied === true ? 'Copied' : 'Copy'}
        </Button>
        {copied === false ? <Text size={200}>Could not copy: select the text instead.</Text> : null}
      </div>
      <pre className={s.pre}>{text}</pre>
    </div>
  );
}
