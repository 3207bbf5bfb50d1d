export { createPcscDriver, type PcscDriverConfig, type PcscDriverDeps } from './driver.ts';
export { INSTALL_HINT, loadPcscPort, type PcscPort } from './port.ts';
