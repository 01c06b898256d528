// The Elasticsearch stage: the snapshot's indices, from the live repository when it still holds
// the snapshot with the set's UUID, else from the set's copy of the repository folder. Second in
// the order: after the database, before the files.
import type { ComponentRecord } from '../../contract/manifest.js';
import { ExpectedError } from '../errors.js';
import { esPlan } from '../steps/elasticsearch/restore/plan.js';
import { readEsSet } from '../steps/elasticsearch/restore/source.js';
import { emptyEsSurvey } from '../steps/elasticsearch/restore/survey.js';
import { lookContext, lookPrimitive, runPrimitive, unusable } from './primitive-stage.js';
import { componentBytes, type RestoreStage, type StageEnv } from './stage.js';

function record(env: StageEnv): ComponentRecord | undefined {
  return env.set.manifest.components.find((c) => c?.id === 'elasticsearch');
}

const WORDS = {
  // A close, a delete or the restore call itself changes the cluster.
  changing: /^(POST \S*\/_close|DELETE \/|POST \/_snapshot\/\S+\/_restore)/,
  leaves: {
    before: 'No index has been changed yet: a temporary copy or registration is removed.',
    after:
      "The snapshot's indices are left closed, deleted or partly restored (red) until the Elasticsearch restore is run again; indices the snapshot does not hold are untouched.",
  },
};

export const elasticsearchStage: RestoreStage = {
  id: 'elasticsearch',
  unavailable(env) {
    const c = record(env);
    if (!c) return 'the set holds no Elasticsearch snapshot';
    if (c.status !== 'succeeded' && c.status !== 'succeeded-with-warnings')
      return `its Elasticsearch step ${c.status === 'skipped' ? 'was not configured' : c.status}`;
    const damage = env.set.damage('elasticsearch');
    if (damage) return damage;
    if (!env.profile.elasticsearch)
      return 'the profile has no Elasticsearch section, so it says nowhere to restore it';
    return undefined;
  },
  title(env) {
    try {
      const v = readEsSet(env.set.viewOf('elasticsearch'));
      return `Elasticsearch indices (snapshot ${v.snapshot}: ${v.indices.length} index(es))`;
    } catch {
      return 'Elasticsearch indices';
    }
  },
  bytes: (env) => {
    const copied = componentBytes(env, 'elasticsearch');
    // Restored from the live repository the set holds only the record: weigh it by the indices.
    if (copied > 1024 * 1024) return copied;
    try {
      return readEsSet(env.set.viewOf('elasticsearch')).indices.reduce((a, i) => a + (i.storeBytes ?? 0), 0);
    } catch {
      return 0;
    }
  },
  look(env, mode) {
    if (!env.profile.elasticsearch)
      return Promise.resolve(
        unusable(
          'elasticsearch',
          new ExpectedError('RESTORE_NO_TARGET', 'The profile has no Elasticsearch section.'),
        ),
      );
    return lookPrimitive('elasticsearch', env.factories.elasticsearch(), env, mode, {}, (ctx) =>
      Promise.resolve(esPlan(emptyEsSurvey(ctx, {}), ctx.set.root, ctx.target)),
    );
  },
  run(env, hooks) {
    return runPrimitive(env.factories.elasticsearch(), env, hooks, {}, WORDS, (r) => {
      const from =
        r.source === 'live' ? `the live repository "${r.repository}"` : "the set's copy of the repository";
      const skipped = r.skipped.length ? ` Not in the snapshot (PARTIAL): ${r.skipped.join(', ')}.` : '';
      return `${r.indices.length} index(es) restored from snapshot ${r.snapshot} in ${from}, document counts checked.${skipped}`;
    });
  },
  cleanup: (env, objects) =>
    env.factories.elasticsearch().cleanup(lookContext(env, 'elasticsearch'), objects),
};
