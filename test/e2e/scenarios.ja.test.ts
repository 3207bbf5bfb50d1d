import { playEveryScenario } from './support/scenario-suite.ts';

playEveryScenario('ja');
