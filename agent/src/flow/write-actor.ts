import type { ActorLogic, Snapshot } from 'xstate';

export type WriteSnapshot<TOutput, TInput> = Snapshot<TOutput> & { input: TInput };
export type Written<TOutput> = { type: 'written'; output: TOutput };
/** Named, so the machine's declared type can refer to it. */
export type WriteActorLogic<TOutput, TInput> = ActorLogic<WriteSnapshot<TOutput, TInput>, Written<TOutput>, TInput>;

/**
 * An actor for a synchronous store write whose answer decides the next step. The write runs when the
 * actor starts (after the transition that entered its state, never inside an assign) and the actor is
 * done at once, so the machine takes the answer within the same send: fromPromise would answer a
 * microtask later, after the patient's screen had already moved on.
 */
export function fromWrite<TOutput, TInput>(write: (input: TInput) => TOutput): WriteActorLogic<TOutput, TInput> {
  return {
    getInitialSnapshot: (_scope, input) => ({ status: 'active', output: undefined, error: undefined, input }),
    start: (snapshot, { self }) => self.send({ type: 'written', output: write(snapshot.input) }),
    transition: (snapshot, event) => (event.type === 'written' ? { status: 'done', output: event.output, error: undefined, input: snapshot.input } : snapshot),
    getPersistedSnapshot: (snapshot) => snapshot,
  };
}
