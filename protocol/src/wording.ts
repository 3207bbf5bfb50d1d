import type { DocumentReason, PatientGuidance, StaffCheck } from './documents.ts';
import type { Language } from './flow.ts';

/**
 * The one text of each document-rules code, per language: the kiosk, the staff console and the
 * `kiosk-agent documents` CLI all read it here, so they never say different sentences for one code.
 * Patient guidance is in every kiosk language (やさしい日本語 with furigana markup `{漢字|かんじ}`,
 * which the kiosk renders as ruby); staff checks and reasons are in the staff languages, ja and en.
 * Patient guidance never points the patient to the 被保険者資格申立書: whether it applies is the
 * desk's decision (it is for a patient whose マイナ保険証 could not be confirmed online), so the
 * patient hears "the desk will help".
 */
export type PatientWording = Readonly<Record<Language, string>>;
export type StaffWording = Readonly<{ ja: string; en: string }>;

export const PATIENT_GUIDANCE_WORDING: Readonly<Record<PatientGuidance, PatientWording>> = {
  'use-reader': {
    ja: 'マイナ保険証をカードリーダーに置いてください。',
    en: 'Please place your My Number insurance card on the card reader.',
    'ja-easy': 'マイナ{保険証|ほけんしょう}を カードリーダーに {置|お}いてください。',
  },
  'card-with-notice-accepted': {
    ja: 'マイナ保険証と「資格情報のお知らせ」（またはマイナポータルの画面）を一緒に窓口へお出しください。係員が確認します。',
    en: 'Please hand in your My Number insurance card together with the notice of insurance details (or the Mynaportal screen) at the desk. Staff will confirm.',
    'ja-easy':
      'マイナ{保険証|ほけんしょう}と「お{知|し}らせ」（または マイナポータルの {画面|がめん}）を {一緒|いっしょ}に {受付|うけつけ}に {出|だ}してください。{係|かかり}の {人|ひと}が {確|たし}かめます。',
  },
  'kakuninsho-accepted': {
    ja: '資格確認書で受付できます。窓口へお出しください。',
    en: 'Your eligibility certificate is accepted. Please hand it in at the desk.',
    'ja-easy': '{資格|しかく}{確認書|かくにんしょ}で {受付|うけつけ}できます。{受付|うけつけ}に {出|だ}してください。',
  },
  'kakuninsho-expired': {
    ja: 'この資格確認書は有効期限が切れています。マイナ保険証か新しい資格確認書をお出しください。お持ちでないときは、窓口の係員がご案内します。',
    en: 'This eligibility certificate has expired. Please show your My Number insurance card or a newer eligibility certificate. If you have neither, the desk will help you.',
    'ja-easy':
      'この {資格|しかく}{確認書|かくにんしょ}は {期限|きげん}が {切|き}れています。マイナ{保険証|ほけんしょう}か {新|あたら}しい {資格|しかく}{確認書|かくにんしょ}を {出|だ}してください。ない ときは、{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
  'notice-alone-not-enough': {
    ja: '「資格情報のお知らせ」やマイナポータルの画面だけでは受付できません。マイナ保険証と一緒にお出しください。マイナ保険証がないときは、窓口の係員がご案内します。',
    en: 'The notice of insurance details or the Mynaportal screen alone is not enough. Please show it together with your My Number insurance card. Without the card, the desk will help you.',
    'ja-easy':
      '「お{知|し}らせ」や マイナポータルの {画面|がめん}だけでは {受付|うけつけ}できません。マイナ{保険証|ほけんしょう}と {一緒|いっしょ}に {出|だ}してください。カードが ない ときは、{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
  'old-card-not-accepted': {
    ja: '以前の健康保険証は使えなくなりました。マイナ保険証か資格確認書をお出しください。お持ちでないときは、窓口の係員がご案内します。',
    en: 'Old health insurance cards can no longer be used. Please show your My Number insurance card or an eligibility certificate. If you have neither, the desk will help you.',
    'ja-easy':
      'まえの {保険証|ほけんしょう}は もう {使|つか}えません。マイナ{保険証|ほけんしょう}か {資格|しかく}{確認書|かくにんしょ}を {出|だ}してください。ない ときは、{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
  'smartphone-accepted': {
    ja: 'スマホのマイナ保険証で受付できます。汎用カードリーダーにスマートフォンをかざしてください。',
    en: 'Your smartphone My Number insurance is accepted. Please hold your phone over the general-purpose card reader.',
    'ja-easy': 'スマホの マイナ{保険証|ほけんしょう}で {受付|うけつけ}できます。スマートフォンを カードリーダーに かざしてください。',
  },
  'smartphone-not-accepted': {
    ja: 'スマホのマイナ保険証をここでは読み取れません。マイナンバーカードか資格確認書をお出しください。',
    en: 'Your smartphone My Number insurance cannot be read here. Please show your My Number card or an eligibility certificate.',
    'ja-easy':
      'ここでは スマホの マイナ{保険証|ほけんしょう}を {読|よ}めません。マイナンバーカードか {資格|しかく}{確認書|かくにんしょ}を {出|だ}してください。',
  },
  'self-declaration-at-desk': {
    ja: '窓口の係員がご案内します。お持ちの書類を持って窓口へお越しください。',
    en: 'The desk will help you. Please take your documents to the desk.',
    'ja-easy': '{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。{書類|しょるい}を もって {受付|うけつけ}に {行|い}ってください。',
  },
  'nothing-presented': {
    ja: 'マイナ保険証か資格確認書をお出しください。お持ちでないときは、窓口の係員がご案内します。',
    en: 'Please show your My Number insurance card or eligibility certificate. If you have neither, the desk will help you.',
    'ja-easy':
      'マイナ{保険証|ほけんしょう}か {資格|しかく}{確認書|かくにんしょ}を {出|だ}してください。ない ときは、{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
  'certificate-renew-soon': {
    ja: 'カードの電子証明書の期限が近づいています。市区町村の窓口で更新してください。今日はこのまま受付できます。',
    en: 'The certificate on your card expires soon. Please renew it at the city office. You can check in as usual today.',
    'ja-easy':
      'カードの {証明書|しょうめいしょ}の {期限|きげん}が もうすぐです。{市役所|しやくしょ}などで {更新|こうしん}してください。{今日|きょう}は このまま {受付|うけつけ}できます。',
  },
  'certificate-grace-renew': {
    ja: '電子証明書の期限が切れています。今日は保険の確認だけができ、診療・お薬の情報は提供されません。市区町村の窓口で早めに更新してください。',
    en: 'The certificate on your card has expired. Today it still confirms your insurance, but medical and prescription information is not shared. Please renew it at the city office soon.',
    'ja-easy':
      'カードの {証明書|しょうめいしょ}の {期限|きげん}が {切|き}れています。{今日|きょう}は {受付|うけつけ}できますが、{薬|くすり}などの {情報|じょうほう}は {使|つか}えません。{早|はや}く {市役所|しやくしょ}などで {更新|こうしん}してください。',
  },
  'certificate-expired': {
    ja: 'カードの電子証明書の期限が切れているため、マイナ保険証として使えません。資格確認書があれば窓口にお出しください。ないときは、窓口の係員がご案内します。更新は市区町村の窓口で行えます。',
    en: 'The certificate on your card has expired, so the card cannot be used as an insurance card. Please show your eligibility certificate if you have one; otherwise the desk will help you. The city office can renew the certificate.',
    'ja-easy':
      'カードの {証明書|しょうめいしょ}の {期限|きげん}が {切|き}れています。{資格|しかく}{確認書|かくにんしょ}が あれば、{受付|うけつけ}に {出|だ}してください。ない ときは、{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
  'show-notice-or-portal': {
    ja: 'カードリーダーで確認できません。マイナ保険証と一緒に「資格情報のお知らせ」かマイナポータルの資格情報画面を窓口でお見せください。',
    en: 'The card reader cannot confirm your insurance now. Please show your My Number insurance card together with the notice of insurance details or the Mynaportal insurance screen at the desk.',
    'ja-easy':
      'カードリーダーで {確|たし}かめられません。マイナ{保険証|ほけんしょう}と「お{知|し}らせ」か マイナポータルの {画面|がめん}を {受付|うけつけ}で {見|み}せてください。',
  },
  'staff-reads-card-at-desk': {
    ja: '窓口で係員が専用の端末でマイナ保険証を読み取ります。暗証番号はご自身で入力してください。カードをお持ちになって窓口へお越しください。',
    en: 'Staff will read your My Number insurance card on a separate device at the desk. You will enter your PIN yourself. Please take your card to the desk.',
    'ja-easy':
      '{受付|うけつけ}で {係|かかり}の {人|ひと}が {別|べつ}の {機械|きかい}で カードを {読|よ}みます。{暗証|あんしょう}{番号|ばんごう}は {自分|じぶん}で {入|い}れてください。カードを もって {受付|うけつけ}に {行|い}ってください。',
  },
  'old-card-accepted': {
    ja: 'この健康保険証は有効期限内のため使えます。窓口へお出しください。',
    en: 'This health insurance card is still within its expiry date. Please hand it in at the desk.',
    'ja-easy': 'この {保険証|ほけんしょう}は まだ {使|つか}えます。{受付|うけつけ}に {出|だ}してください。',
  },
  'desk-confirms-insurance': {
    ja: '窓口で係員が保険の資格を確認します。お持ちの書類を持って窓口へお越しください。',
    en: 'Staff at the desk will confirm your insurance. Please take your documents to the desk.',
    'ja-easy':
      '{受付|うけつけ}で {係|かかり}の {人|ひと}が {保険|ほけん}を {確|たし}かめます。{書類|しょるい}を もって {受付|うけつけ}に {行|い}ってください。',
  },
  'smartphone-portal-screen-at-desk': {
    ja: 'スマホのマイナ保険証を読み取れないため、同じスマートフォンでマイナポータルの資格情報画面を開いて窓口でお見せください。係員が確認します。',
    en: 'Your smartphone My Number insurance cannot be read. Please open the Mynaportal insurance screen on the same phone and show it at the desk. Staff will confirm.',
    'ja-easy':
      'スマホの マイナ{保険証|ほけんしょう}を {読|よ}めません。{同|おな}じ スマートフォンで マイナポータルの {画面|がめん}を {出|だ}して、{受付|うけつけ}で {見|み}せてください。{係|かかり}の {人|ひと}が {確|たし}かめます。',
  },
  'medical-ticket-at-desk': {
    ja: '医療券を窓口にお出しください。係員が確認します。',
    en: 'Please hand in your medical ticket (医療券) at the desk. Staff will confirm it.',
    'ja-easy': '{医療券|いりょうけん}を {受付|うけつけ}に {出|だ}してください。{係|かかり}の {人|ひと}が {確|たし}かめます。',
  },
  'medical-ticket-not-valid': {
    ja: 'この医療券は今月のものではありません。窓口の係員がご案内します。',
    en: 'This medical ticket (医療券) is not for this month. The desk will help you.',
    'ja-easy': 'この {医療券|いりょうけん}は {今月|こんげつ}の ものでは ありません。{受付|うけつけ}の {係|かかり}の {人|ひと}が {手伝|てつだ}います。',
  },
};

export const STAFF_CHECK_WORDING: Readonly<Record<StaffCheck, StaffWording>> = {
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
    ja: '被保険者資格申立書が使えるか判断する（マイナ保険証を提示したがオンラインで資格を確認できなかった場合。通常の負担割合）。',
    en: 'Decide whether the self-declaration of insurance (被保険者資格申立書) applies: for a patient who presented the My Number insurance card but could not be confirmed online (normal copay).',
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
  'confirm-kokuho-or-kouki-insurer': {
    ja: '保険者が国保か後期高齢者医療であることを確認する（この時期の暫定対応は国保・後期のみ）。',
    en: 'Confirm the insurer is 国保 or 後期高齢者医療: the temporary handling covers only those two at this date.',
  },
  'confirm-medical-ticket': {
    ja: '医療券の有効な月・公費負担者番号（検証番号）・受給者番号を確認する。公費の判断は職員が行う。',
    en: "Check the medical ticket's month, its 公費負担者番号 (check digit) and 受給者番号; staff decide every 公費 case.",
  },
};

export const DOCUMENT_REASON_WORDING: Readonly<Record<DocumentReason, StaffWording>> = {
  'no-documents': { ja: '書類の提示なし', en: 'No documents presented' },
  'myna-card-via-reader': { ja: 'マイナ保険証をカードリーダーで確認', en: 'My Number insurance card through the reader' },
  'certificate-expiring': { ja: '電子証明書の期限が3か月以内', en: 'Card certificate expires within the warning period' },
  'certificate-grace-eligibility-only': {
    ja: '電子証明書の期限切れ後の猶予期間: 資格確認のみ、情報提供なし',
    en: 'Card certificate in its grace period: eligibility only, no information sharing',
  },
  'certificate-expired': { ja: '電子証明書の期限切れ（猶予期間後）', en: 'Card certificate expired beyond the grace period' },
  'reader-or-online-unavailable': { ja: 'カードリーダーまたはオンライン資格確認が使えない', en: 'Card reader or online eligibility check unavailable' },
  'smartphone-via-general-reader': { ja: 'スマホ保険証を汎用カードリーダーで確認', en: 'Smartphone insurance through the general-purpose reader' },
  'smartphone-before-start': { ja: 'スマホ保険証の利用開始日より前', en: 'Before smartphone insurance started' },
  'smartphone-needs-general-purpose-reader': { ja: 'スマホ保険証には汎用カードリーダーが必要', en: 'Smartphone insurance needs a general-purpose reader' },
  'smartphone-needs-valid-certificate': {
    ja: 'スマホ保険証は電子証明書が有効な間のみ（猶予期間なし）',
    en: 'Smartphone insurance needs a valid certificate (no grace period)',
  },
  'card-with-notice-fallback': { ja: 'マイナ保険証＋資格情報のお知らせ', en: 'My Number card with the notice of insurance details' },
  'card-with-portal-screen-fallback': { ja: 'マイナ保険証＋マイナポータル画面', en: 'My Number card with the Mynaportal screen' },
  'card-with-notice-new-insurer-pending': {
    ja: '一件照会で該当なし／新しい資格あり: 新しい保険者の登録待ちのため、マイナ保険証＋お知らせで確認',
    en: "Lookup found nothing or a newer qualification: the new insurer's data is not registered yet, the card with the notice is the proof",
  },
  'smartphone-unreadable-portal-screen': {
    ja: 'スマホ保険証を読み取れないため、同じスマートフォンのマイナポータル資格情報画面で確認',
    en: 'Smartphone insurance unreadable: the Mynaportal insurance screen on the same phone',
  },
  'patient-cannot-operate-reader': { ja: '患者がカードリーダーを操作できない', en: 'The patient cannot operate the card reader' },
  'card-via-mobile-consent-app': { ja: '居宅同意取得型アプリで読み取り', en: 'Card read with the mobile consent app' },
  'mobile-consent-app-before-start': { ja: '居宅同意取得型アプリの利用開始前', en: 'Before the mobile consent app was allowed' },
  'mobile-consent-app-needs-online': { ja: '居宅同意取得型アプリにはオンライン資格確認が必要', en: 'The mobile consent app needs the online check' },
  'mobile-consent-app-needs-card': { ja: '居宅同意取得型アプリにはマイナ保険証が必要', en: 'The mobile consent app needs the My Number card' },
  'document-before-issuance-start': { ja: 'この書類の発行開始日より前', en: 'Before this document was issued at all' },
  'kakuninsho-within-printed-expiry': { ja: '資格確認書が有効期限内', en: 'Eligibility certificate within its printed expiry' },
  'kakuninsho-expiry-unknown': { ja: '資格確認書の有効期限が未確認', en: "Eligibility certificate's expiry not checked yet" },
  'kakuninsho-expired': { ja: '資格確認書の有効期限切れ', en: 'Eligibility certificate expired' },
  'medical-ticket-within-printed-month': { ja: '医療券が券面の月の範囲内', en: 'Medical ticket within its printed month' },
  'medical-ticket-expiry-unknown': { ja: '医療券の有効期間が未確認', en: "Medical ticket's month not checked yet" },
  'medical-ticket-outside-printed-month': { ja: '医療券が券面の月の範囲外', en: 'Medical ticket outside its printed month' },
  'old-card-within-printed-expiry': { ja: '旧保険証が有効期限内', en: 'Old insurance card within its printed expiry' },
  'old-card-expiry-unknown': { ja: '旧保険証の有効期限が未確認', en: "Old insurance card's expiry not checked yet" },
  'old-card-expired': { ja: '旧保険証の有効期限切れ', en: 'Old insurance card expired' },
  'old-card-after-last-valid-day': { ja: '旧保険証が使える最終日を過ぎた', en: 'After the last day any old insurance card is valid' },
  'temporary-handling-expired-old-card': {
    ja: '暫定対応: 期限切れの旧保険証を一件照会で受付',
    en: 'Temporary handling: expired old card accepted after a single online lookup',
  },
  'temporary-handling-notice-alone': {
    ja: '暫定対応: お知らせのみを一件照会で受付',
    en: 'Temporary handling: the notice alone accepted after a single online lookup',
  },
  'temporary-handling-kokuho-only': { ja: 'この時期の暫定対応は国保のみ', en: 'At this date the temporary handling covers 国保 only' },
  'temporary-handling-kokuho-kouki-only': {
    ja: 'この時期の暫定対応は国保・後期高齢者医療のみ',
    en: 'At this date the temporary handling covers 国保 and 後期高齢者医療 only',
  },
  'temporary-handling-needs-online': { ja: '暫定対応にはオンライン資格確認が必要', en: 'The temporary handling needs the online check' },
  'temporary-handling-ended': { ja: '暫定対応は終了', en: 'The temporary handling has ended' },
  'notice-alone-not-enough': { ja: 'お知らせのみでは受付できない', en: 'The notice alone is not enough' },
  'portal-screen-alone-not-enough': { ja: 'マイナポータル画面のみでは受付できない', en: 'The Mynaportal screen alone is not enough' },
  'self-declaration-last-resort': { ja: '被保険者資格申立書（最後の手段）', en: 'Self-declaration of insurance (last resort)' },
  'online-lookup-not-valid': {
    ja: '一件照会の結果が有効でない（無効・新しい資格あり・該当なし・複数該当）',
    en: 'The single online lookup did not confirm the insurance (invalid, newer qualification, not found or several)',
  },
};

/** A kiosk catalogue's `guidance` section in one language. */
export function patientGuidanceIn(language: Language): Readonly<Record<PatientGuidance, string>> {
  return Object.fromEntries(Object.entries(PATIENT_GUIDANCE_WORDING).map(([code, text]) => [code, text[language]])) as Record<PatientGuidance, string>;
}
