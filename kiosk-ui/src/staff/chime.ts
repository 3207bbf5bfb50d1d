/**
 * The alert chime: two short tones made with WebAudio (no sound file to ship or to fail loading). A
 * browser starts audio only after the page was used, so the context is made lazily and resumed on the
 * first key or click; before that a chime is silently skipped, while the highlight still shows.
 */
export interface Chime {
  play(): void;
  close(): void;
}

const TONES = [
  { hz: 880, at: 0 },
  { hz: 660, at: 0.2 },
] as const;
const TONE_S = 0.18;

export function createChime(target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window): Chime {
  let context: AudioContext | undefined;
  const audio = (): AudioContext | undefined => {
    if (context) return context;
    const Context = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Context) return undefined;
    try {
      context = new Context();
    } catch {
      return undefined;
    }
    return context;
  };
  const unlock = () =>
    void audio()
      ?.resume()
      .catch(() => {});
  target.addEventListener('pointerdown', unlock);
  target.addEventListener('keydown', unlock);

  return {
    play() {
      const ctx = audio();
      if (!ctx || ctx.state !== 'running') return;
      const start = ctx.currentTime;
      for (const tone of TONES) {
        const oscillator = ctx.createOscillator();
        const gain = ctx.createGain();
        oscillator.type = 'sine';
        oscillator.frequency.value = tone.hz;
        const t = start + tone.at;
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + TONE_S);
        oscillator.connect(gain).connect(ctx.destination);
        oscillator.start(t);
        oscillator.stop(t + TONE_S + 0.02);
      }
    },
    close() {
      target.removeEventListener('pointerdown', unlock);
      target.removeEventListener('keydown', unlock);
      void context?.close().catch(() => {});
    },
  };
}
