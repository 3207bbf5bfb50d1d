import { Progress } from '../components/Progress.tsx';
import { Message } from '../components/Notices.tsx';
import { Screen } from '../components/Screen.tsx';
import { T } from '../components/Text.tsx';
import type { Catalogue } from '../i18n/types.ts';

/** The manual path: the agent does not answer, so the patient goes to the desk with their documents. */
export function UnreachableScreen({ t, incompatible }: { t: Catalogue; incompatible: boolean }) {
  return (
    <Screen name={incompatible ? 'incompatible' : 'unreachable'} text={t.connection.unreachable}>
      {incompatible && <Message text={t.connection.incompatible} />}
      <ul className="points points--documents">
        {t.connection.bring.map((item) => (
          <li key={item}>
            <T text={item} />
          </li>
        ))}
      </ul>
    </Screen>
  );
}

export function ReconnectingScreen({ t }: { t: Catalogue }) {
  return (
    <Screen name="reconnecting" text={t.connection.reconnecting}>
      <Progress progress={undefined} t={t} />
    </Screen>
  );
}
