export { MOCK_ORCA_FAULTS, startMockOrca, type MockAcceptance, type MockOrca, type MockOrcaFault, type MockOrcaOptions, type MockPatient } from './server.ts';
