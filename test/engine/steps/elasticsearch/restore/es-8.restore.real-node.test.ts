// Elasticsearch 8.19 (the 8.x line Octane releases use): restores and rehearsals on a real node.
import { defineRestoreScenarios } from './restore-scenarios.js';

defineRestoreScenarios('8.19.8');
