import { Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import type { LogLine } from '../../state/run-state.js';

const useStyles = makeStyles({
  box: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    padding: tokens.spacingVerticalS,
    height: '180px',
    overflowY: 'auto',
    whiteSpace: 'pre-wrap',
    overflowWrap: 'anywhere',
  },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

const time = (iso: string): string => new Date(iso).toLocaleTimeString(undefined, { hour12: false });

export function LogTail({ lines }: { lines: LogLine[] }) {
  const s = useStyles();
  const box = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  useEffect(() => {
    // Follow new lines unless the admin scrolled up to read.
    const el = box.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <div
      ref={box}
      className={s.box}
      role="log"
      aria-label="Run log"
      data-testid="log-tail"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {lines.length === 0 ? <Text>Waiting for the first log line…</Text> : null}
      {lines.map((l, i) => (
        <div key={i} className={l.level === 'warn' ? s.warn : l.level === 'error' ? s.error : undefined}>
          {time(l.at)} {l.step ? `[${l.step}] ` : ''}
          {l.message}
        </div>
      ))}
    </div>
  );
}
