import type { StaffWording } from '@kiosk/protocol';
import type { TimelineEvent } from './table.ts';

/**
 * Text of the rules table's timeline events, for `kiosk-agent documents --timeline`. The wording of
 * patient guidance, staff checks and reasons is shared with the kiosk and the console: @kiosk/protocol
 * wording.ts.
 */
export const TIMELINE_WORDING: Record<TimelineEvent, StaffWording> = {
  newDocumentsFrom: {
    ja: '健康保険証の新規発行終了。資格確認書・資格情報のお知らせの発行開始',
    en: 'No new 健康保険証; 資格確認書 and お知らせ issued from this day',
  },
  mobileConsentAppFrom: { ja: '窓口で居宅同意取得型アプリを使用可能', en: 'Mobile consent app usable at the window' },
  kokuhoKoukiOldCardsExpire: { ja: '多くの国保・全ての後期高齢者の旧保険証の券面有効期限', en: 'Printed expiry of most 国保 and all 後期 old cards' },
  temporaryHandlingKokuhoFrom: {
    ja: '暫定対応開始（国保）: 期限切れ保険証・お知らせのみでも一件照会で受付',
    en: 'Temporary handling starts for 国保: expired old card or お知らせ alone after a single online lookup',
  },
  temporaryHandlingKoukiFrom: {
    ja: '暫定対応を後期高齢者医療にも適用',
    en: 'Temporary handling extended to 後期高齢者医療',
  },
  smartphoneFrom: { ja: 'スマホ保険証の利用開始（汎用カードリーダー）', en: 'スマホ保険証 accepted with a general-purpose reader' },
  seedMunicipalOldCardsExpire: { ja: '例: ある市の国保旧保険証の券面有効期限', en: "Example: one city's 国保 old cards' printed expiry" },
  temporaryHandlingAllInsurersFrom: { ja: '暫定対応を全保険者に拡大', en: 'Temporary handling extended to all insurers' },
  oldCardLastDay: { ja: '旧健康保険証が有効な最終日', en: 'Last day any old 健康保険証 is valid' },
  temporaryHandlingFirstLastDay: {
    ja: '暫定対応の当初の最終日（2026-03-19 に延長が発表された）',
    en: 'First announced last day of the temporary handling (extension announced 2026-03-19)',
  },
  temporaryHandlingLastDay: { ja: '暫定対応の最終日（延長後）', en: 'Last day of the temporary handling (after its extension)' },
  koukiAgeRuleFrom: {
    ja: '後期高齢者: 85歳以上に資格確認書、84歳以下はマイナ保険証を実際に利用している人にお知らせ（前日まで全員に資格確認書）',
    en: '後期高齢者: 資格確認書 for everyone 85+; under 85 the お知らせ only to actual マイナ保険証 users (資格確認書 to everyone until the day before)',
  },
};
