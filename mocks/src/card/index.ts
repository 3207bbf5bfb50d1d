/** Public API of the virtual My Number card (import from '@kiosk/mocks/card/index.ts'). */
export { VirtualMyNumberCard, virtualChannel } from './virtual-card.ts';
export type { ApduExchange, CardImage, VirtualCardChannel, VirtualChannelOptions } from './virtual-card.ts';
export { PROFILES, PROFILE_IDS, TEST_PIN, cardImage, certificateValidity, createVirtualCard, isProfileId, profileSerials } from './profiles.ts';
export type { CardProfile, CreateVirtualCardOptions, ProfileId, ProfileSerial } from './profiles.ts';
export { FilePinCounters, MemoryPinCounters, sharedPinCounters } from './counters.ts';
export type { PinCounterStore } from './counters.ts';
export { loadTestCa, pkiCacheDir, testCaCertificatePath, testCaCertificatePem } from './pki.ts';
export { VpcdCardClient, startVirtualCardOnVpcd } from './vpcd.ts';
export type { VirtualCardOnVpcd, StartVirtualCardOptions } from './vpcd.ts';
export { runVirtualCardCli } from './cli.ts';
