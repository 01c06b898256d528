// Elasticsearch 7.17 (the 7.x line Octane releases use): restores and rehearsals on a real node.
import { defineRestoreScenarios } from './restore-scenarios.js';

defineRestoreScenarios('7.17.29');
