/** One key/value read from an Octane config file; `key` is the full dotted path for nested formats. */
export interface ConfigEntry {
  key: string;
  value: string;
  /** 1-based line of the key in its file. */
  line: number;
}

export interface ParsedConfig {
  entries: ConfigEntry[];
  /** Lines the parser could not make sense of, in plain words (the rest is still used). */
  problems: string[];
}
