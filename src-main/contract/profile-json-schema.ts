// The JSON Schema of a profile file, for editors ("$schema": "./profile.schema.json" gives
// completion, hover help and red squiggles in VS Code and others). Generated from the profile
// schema by `npm run schema`, never written by hand; a test fails when the committed file is stale.
import * as z from 'zod';
import { profileFileSchema } from './profile-schema.js';
import { fieldMeta } from './schema-kit.js';

export function profileJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(profileFileSchema, {
    // Draft 7: the newest draft every common editor understands.
    target: 'draft-07',
    metadata: fieldMeta,
    io: 'input',
    // Editors show `title` and `description`; the form's own texts (label, hint, what) stay out.
    override: ({ jsonSchema }) => {
      const s = jsonSchema as Record<string, unknown>;
      const { label, hint, what, description } = s;
      delete s.label;
      delete s.hint;
      delete s.what;
      if (typeof label === 'string') s.title = label;
      const words = [description, hint, what].find((x) => typeof x === 'string');
      if (words !== undefined) s.description = words;
    },
  });
}
