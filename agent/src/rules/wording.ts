import type { PatientGuidance, StaffCheck } from '@kiosk/protocol';
import type { TimelineEvent } from './table.ts';

/** Text in both languages of the CLI and staff tools. The kiosk UI keeps its own catalogues keyed by the same codes. */
export interface Wording {
  ja: string;
  en: string;
}

export const PATIENT_WORDING: Record<PatientGuidance, Wording> = {
  'use-reader': {
    ja: 'マイナ保険証をカードリーダーに置いてください。',
    en: 'Please place your My Number insurance card on the card reader.',
  },
  'card-with-notice-accepted': {
    ja: 'マイナ保険証と資格情報のお知らせ（またはマイナポータルの画面）で受付します。受付で職員が確認します。',
    en: 'We will check you in with your My Number card and the insurance notice (or the Mynaportal screen). Staff at the desk will confirm.',
  },
  'kakuninsho-accepted': {
    ja: '資格確認書で受付します。受付にお出しください。',
    en: 'Your eligibility certificate (資格確認書) is accepted. Please hand it to the desk.',
  },
  'kakuninsho-expired': {
    ja: 'この資格確認書は有効期限が切れています。新しい資格確認書かマイナ保険証をお持ちでない場合は、受付にご相談ください。',
    en: 'This eligibility certificate has expired. If you have no newer one and no My Number insurance card, please ask at the desk.',
  },
  'notice-alone-not-enough': {
    ja: '資格情報のお知らせ（またはマイナポータルの画面）だけでは受付できません。マイナ保険証をお持ちください。お持ちでない場合は受付でご相談ください（被保険者資格申立書）。',
    en: 'The insurance notice (or the Mynaportal screen) alone is not enough. Please bring your My Number insurance card; otherwise the desk can help with a self-declaration form.',
  },
  'old-card-not-accepted': {
    ja: '以前の健康保険証は使えません。マイナ保険証か資格確認書をお持ちください。お持ちでない場合は受付でご相談ください。',
    en: 'The old health insurance card can no longer be used. Please bring your My Number insurance card or eligibility certificate; otherwise please ask at the desk.',
  },
  'smartphone-accepted': {
    ja: 'スマホ保険証で受付します。汎用カードリーダーにスマートフォンをかざしてください。',
    en: 'Your smartphone insurance card is accepted. Please hold your phone over the general-purpose reader.',
  },
  'smartphone-not-accepted': {
    ja: 'スマホ保険証はここでは使えません。マイナンバーカードか資格確認書をお出しください。',
    en: 'The smartphone insurance card cannot be used here. Please use your My Number card or eligibility certificate.',
  },
  'self-declaration-at-desk': {
    ja: '受付で職員がご案内します（被保険者資格申立書など）。',
    en: 'Staff at the desk will help you (for example with a self-declaration of your insurance).',
  },
  'nothing-presented': {
    ja: 'マイナ保険証か資格確認書をお出しください。お持ちでない場合は受付でご相談ください。',
    en: 'Please show your My Number insurance card or eligibility certificate. If you have neither, please ask at the desk.',
  },
  'certificate-renew-soon': {
    ja: 'マイナンバーカードの電子証明書の有効期限が近づいています。市区町村の窓口で更新してください。今日はこのまま受付できます。',
    en: "Your card's electronic certificate expires soon. Please renew it at your city office. You can check in as usual today.",
  },
  'certificate-grace-renew': {
    ja: '電子証明書の有効期限が切れています。期限後しばらくは資格確認のみできますが、診療・お薬などの情報は共有されません。市区町村の窓口で更新してください。',
    en: "Your card's electronic certificate has expired. For a limited time it still confirms your insurance, but medical and prescription information is not shared. Please renew it at your city office.",
  },
  'certificate-expired': {
    ja: '電子証明書の有効期限が切れているため、マイナ保険証として使えません。資格確認書をお持ちならお出しください。受付でご相談ください。',
    en: "Your card's electronic certificate has expired, so it cannot be used as an insurance card. Please show your eligibility certificate if you have one, or ask at the desk.",
  },
  'show-notice-or-portal': {
    ja: 'カードリーダーで確認できません。資格情報のお知らせかマイナポータルの資格情報画面をお持ちでしたら、マイナ保険証と一緒に受付にお出しください。',
    en: 'The card reader cannot confirm your insurance now. If you have the insurance notice or the Mynaportal insurance screen, please show it at the desk together with your card.',
  },
  'staff-reads-card-at-desk': {
    ja: '受付で職員が専用の端末でマイナ保険証を確認します。暗証番号はご自身で入力してください。',
    en: 'Staff at the desk will check your card on a separate device. You will enter your PIN yourself.',
  },
  'old-card-accepted': {
    ja: '健康保険証で受付します。受付にお出しください。',
    en: 'Your health insurance card is accepted. Please hand it to the desk.',
  },
  'desk-confirms-insurance': {
    ja: '受付で職員が保険の資格をオンラインで確認します。',
    en: 'Staff at the desk will confirm your insurance online.',
  },
};

export const STAFF_WORDING: Record<StaffCheck, Wording> = {
  'visual-photo-check': {
    ja: 'カードの顔写真と本人を目視で照合する。',
    en: "Compare the card's photo with the patient (visual check).",
  },
  'enter-insurance-from-notice': {
    ja: '資格情報のお知らせ（またはマイナポータル画面）から保険情報を入力する。',
    en: 'Enter the insurance details from the notice (or the Mynaportal screen).',
  },
  'online-single-lookup': {
    ja: '保険者番号・記号番号でオンライン資格確認（一件照会）を行う。',
    en: 'Confirm eligibility online by insurer number and insured number (single lookup).',
  },
  'check-printed-expiry': {
    ja: '券面の有効期限を確認する。',
    en: 'Check the expiry date printed on the document.',
  },
  'offer-self-declaration': {
    ja: '被保険者資格申立書を案内する（通常の負担割合）。',
    en: 'Offer the self-declaration of insurance (被保険者資格申立書; normal copay).',
  },
  'staff-decides-self-pay': {
    ja: '申立書か全額自己負担（後日払い戻し）かを職員が判断する。キオスクでは決めない。',
    en: 'Staff decide between the self-declaration and full self-pay with later refund; the kiosk never decides this.',
  },
  'use-mobile-consent-app': {
    ja: '居宅同意取得型の端末でカードを読み取る（本人が暗証番号を入力、または目視確認）。',
    en: 'Read the card with the mobile consent app at the window (the patient enters the PIN, or visual check).',
  },
  'confirm-kokuho-insurer': {
    ja: '保険者が国保であることを確認する（この時期の暫定対応は国保のみ）。',
    en: 'Confirm the insurer is 国保 (national health insurance): the temporary handling covers only 国保 at this date.',
  },
};

export const TIMELINE_WORDING: Record<TimelineEvent, Wording> = {
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
  smartphoneFrom: { ja: 'スマホ保険証の利用開始（汎用カードリーダー）', en: 'スマホ保険証 accepted with a general-purpose reader' },
  seedMunicipalOldCardsExpire: { ja: '例: ある市の国保旧保険証の券面有効期限', en: "Example: one city's 国保 old cards' printed expiry" },
  temporaryHandlingAllInsurersFrom: { ja: '暫定対応を全保険者に拡大', en: 'Temporary handling extended to all insurers' },
  oldCardLastDay: { ja: '旧健康保険証が有効な最終日', en: 'Last day any old 健康保険証 is valid' },
  temporaryHandlingLastDay: { ja: '暫定対応の最終日', en: 'Last day of the temporary handling' },
  koukiAgeRuleFrom: {
    ja: '後期高齢者: 85歳以上に資格確認書（前日まで全員に交付）',
    en: '後期高齢者: 資格確認書 for everyone 85+ (to everyone until the day before)',
  },
};
