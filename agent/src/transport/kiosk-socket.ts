import {
  agentError,
  FlowCommandRequestSchema,
  HelloSchema,
  isCompatible,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@kiosk/protocol';
import type { Namespace, Socket } from 'socket.io';
import type { CheckInFlow } from '../flow/types.ts';
import type { ReaderDriver } from '../flow/ports.ts';
import type { Logger } from '../logger.ts';
import { validate } from './validate.ts';
import { answerUnknownEvents, replier } from './guard.ts';

type KioskSocket = Socket<ClientToServerEvents, ServerToClientEvents>;
type KioskNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;

export interface KioskTransportDeps {
  flow: CheckInFlow;
  driver: ReaderDriver;
  logger: Logger;
  agentVersion: string;
}

/**
 * The kiosk namespace: every client gets the full snapshot on connect and on every change; commands
 * are validated, then handed to the flow. Nothing here decides the flow.
 */
export function attachKioskTransport(nsp: KioskNamespace, deps: KioskTransportDeps): () => void {
  const { flow, driver, logger } = deps;
  const helloDone = new WeakSet<KioskSocket>();

  // The flow calls back once per event of a transition, each time with the same snapshot: send it once.
  let sentSeq = -1;
  const unsubscribeFlow = flow.subscribe((snapshot, event) => {
    if (snapshot.seq !== sentSeq) {
      sentSeq = snapshot.seq;
      nsp.emit('flow:snapshot', snapshot);
    }
    if (event) nsp.emit('flow:event', event);
  });
  const unsubscribeDriver = driver.subscribe((event) => {
    if (event.type === 'status') nsp.emit('agent:status', event.status);
  });

  nsp.on('connection', (socket: KioskSocket) => {
    socket.emit('flow:snapshot', flow.snapshot());
    socket.emit('agent:status', driver.status());

    socket.on('hello', (payload: unknown, ack: unknown) => {
      const reply = replier(ack);
      const hello = validate(HelloSchema, payload);
      if (!hello.ok) return reply(hello);
      if (!isCompatible(hello.value.protocolVersion)) {
        logger.warn({ event: 'hello-refused', clientVersion: hello.value.protocolVersion }, 'protocol version mismatch');
        return reply({
          ok: false,
          error: agentError('TRANSPORT_VERSION_MISMATCH', `Agent speaks protocol ${PROTOCOL_VERSION}; client speaks ${hello.value.protocolVersion}`, {
            agentVersion: PROTOCOL_VERSION,
          }),
        });
      }
      helloDone.add(socket);
      reply({ ok: true, data: { protocolVersion: PROTOCOL_VERSION, agentVersion: deps.agentVersion, driver: driver.kind } });
      socket.emit('flow:snapshot', flow.snapshot());
    });

    socket.on('flow:command', (payload: unknown, ack: unknown) => {
      const reply = replier(ack);
      if (!helloDone.has(socket)) return reply({ ok: false, error: agentError('TRANSPORT_HELLO_REQUIRED') });
      const command = validate(FlowCommandRequestSchema, payload);
      if (!command.ok) {
        logger.info({ event: 'command-rejected', code: command.error.code }, 'invalid command');
        return reply(command);
      }
      try {
        const result = flow.send(command.value);
        reply(result.ok ? { ok: true } : result);
      } catch (error) {
        // A defect in the flow must not take the agent down or lose the session.
        logger.error({ event: 'command-crashed', type: command.value.type, err: error instanceof Error ? error.message : 'unknown' }, 'flow threw');
        reply({ ok: false, error: agentError('INTERNAL') });
      }
    });

    // Unknown events are answered, not ignored, so a confused client learns why.
    answerUnknownEvents(socket, ['hello', 'flow:command']);
  });

  return () => {
    unsubscribeFlow();
    unsubscribeDriver();
  };
}
