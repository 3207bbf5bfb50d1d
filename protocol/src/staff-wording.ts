import type { DocumentDecisionKind, DocumentId, InsurerKind } from './documents.ts';
import type { AuthMethod, EligibilityOutcome } from './flow.ts';
import type { AlertAction, AlertKind, CheckInOrigin, CheckInStatus, QueueFlag, ReviewAlert, ReviewReason } from './staff.ts';
import type { StaffWording } from './wording.ts';

/**
 * The one text of each code the staff console shows, in the staff languages (ja, en): the console never
 * prints a code, and nothing else words these codes for staff. Short labels fit a table cell or a card
 * title; the `*_TODO_WORDING` sentences say what the desk does next.
 */
type Words<K extends string> = Readonly<Record<K, StaffWording>>;

export const CHECKIN_STATUS_WORDING: Words<CheckInStatus> = {
  'in-progress': { ja: '受付機で操作中', en: 'At the kiosk' },
  completed: { ja: '受付済み', en: 'Checked in' },
  staff: { ja: '係員対応', en: 'With staff' },
  fallback: { ja: '書類で受付', en: 'Documents at the desk' },
  abandoned: { ja: '途中で終了', en: 'Left unfinished' },
  interrupted: { ja: '再起動で中断', en: 'Interrupted by a restart' },
};

export const CHECKIN_ORIGIN_WORDING: Words<CheckInOrigin> = {
  card: { ja: '受付機', en: 'Kiosk' },
  reader: { ja: '顔認証付きリーダー', en: 'Face reader' },
  manual: { ja: '窓口入力', en: 'Desk entry' },
};

export const AUTH_METHOD_WORDING: Words<AuthMethod> = {
  face: { ja: '顔認証', en: 'Face' },
  pin: { ja: '暗証番号', en: 'PIN' },
  visual: { ja: '目視確認', en: 'Visual check' },
};

/** Outcomes of the online eligibility check (資格確認) and of the desk's 一件照会. */
export const ELIGIBILITY_WORDING: Words<EligibilityOutcome | 'unavailable'> = {
  valid: { ja: '有効', en: 'Valid' },
  invalid: { ja: '無効', en: 'Not valid' },
  'invalid-new-qualification': { ja: '新しい資格あり', en: 'Newer insurance exists' },
  'not-found': { ja: '該当なし', en: 'Not found' },
  multiple: { ja: '複数該当', en: 'Several found' },
  error: { ja: '照会エラー', en: 'Check failed' },
  unavailable: { ja: '照会できませんでした', en: 'Lookup unavailable' },
};

export const QUEUE_FLAG_WORDING: Words<QueueFlag> = {
  'new-patient': { ja: '新患', en: 'New patient' },
  interrupted: { ja: '中断', en: 'Interrupted' },
  manual: { ja: '窓口入力', en: 'Desk entry' },
  visual: { ja: '目視確認', en: 'Visual check' },
  resolved: { ja: '窓口で完了', en: 'Finished at the desk' },
};

/** The documents by their staff names (the kiosk words them for patients in its own catalogues). */
export const DOCUMENT_WORDING: Words<DocumentId> = {
  myna_card: { ja: 'マイナ保険証', en: 'My Number card' },
  smartphone_myna: { ja: 'スマホ保険証', en: 'Smartphone insurance' },
  shikaku_joho_oshirase: { ja: '資格情報のお知らせ', en: 'Notice of insurance details' },
  shikaku_kakuninsho: { ja: '資格確認書', en: 'Eligibility certificate' },
  old_hokensho: { ja: '健康保険証（従来）', en: 'Old health insurance card' },
  mynaportal_screen: { ja: 'マイナポータル画面', en: 'Mynaportal screen' },
  mobile_consent_app: { ja: '居宅同意取得型アプリ', en: 'Mobile consent app' },
  medical_ticket: { ja: '医療券（医療扶助）', en: 'Medical ticket (医療扶助)' },
  self_declaration: { ja: '被保険者資格申立書', en: 'Self-declaration (申立書)' },
};

export const DOCUMENT_DECISION_WORDING: Words<DocumentDecisionKind> = {
  accepted: { ja: '受付可', en: 'Accepted' },
  conditional: { ja: '確認後に受付可', en: 'Accepted after the checks' },
  rejected: { ja: '受付不可', en: 'Not accepted' },
};

export const INSURER_KIND_WORDING: Words<InsurerKind> = {
  kokuho: { ja: '国民健康保険', en: 'National health insurance (国保)' },
  kouki: { ja: '後期高齢者医療', en: 'Late-stage elderly (後期高齢者)' },
  other: { ja: '被用者保険など', en: 'Employee or other insurance' },
};

export const ALERT_KIND_WORDING: Words<AlertKind> = {
  'patient-request': { ja: '患者が係員を呼んでいます', en: 'The patient is calling for staff' },
  'pin-failures': { ja: '暗証番号を2回間違えました', en: 'Two wrong PINs' },
  'pin-blocked': { ja: '暗証番号がロックされています', en: 'PIN locked' },
  'face-failed': { ja: '顔認証ができませんでした', en: 'Face authentication failed' },
  'visual-declined': { ja: '目視確認で本人と確認できませんでした', en: 'Visual check failed' },
  'not-my-number-card': { ja: 'マイナンバーカードではないカード', en: 'Not a My Number card' },
  'certificate-expired': { ja: 'カードの電子証明書の期限切れ', en: "The card's certificate has expired" },
  'certificate-untrusted': { ja: 'カードの電子証明書を確認できません', en: "The card's certificate cannot be trusted" },
  'eligibility-invalid': { ja: '保険資格が無効です', en: 'Insurance not valid' },
  'eligibility-new-qualification': { ja: '新しい保険資格があります', en: 'A newer insurance exists' },
  'eligibility-not-found': { ja: '保険資格が見つかりません', en: 'Insurance not found' },
  'eligibility-multiple': { ja: '保険資格が複数あります', en: 'Several insurances found' },
  'eligibility-error': { ja: '資格確認ができませんでした', en: 'The eligibility check failed' },
  'eligibility-review': { ja: '資格確認の結果を確認してください', en: 'Eligibility result to review' },
  'registration-failed': { ja: '保険証利用登録ができませんでした', en: 'Registration for insurance use failed' },
  'card-lost': { ja: '利用停止中のカード', en: 'Suspended card' },
  'fallback-documents': { ja: '書類で受付', en: 'Documents at the desk' },
  'agent-restarted': { ja: '受付機の再起動で中断', en: 'Interrupted by a restart' },
  'visual-check': { ja: '目視確認の依頼', en: 'Visual check requested' },
  'storage-unavailable': { ja: '記録を保存できません', en: 'Records cannot be saved' },
  'insurance-pending': { ja: '本人確認済み・保険資格は窓口で確認', en: 'Identity verified, insurance to confirm' },
  'reader-down': { ja: 'カードリーダーが使えません', en: 'Card reader not working' },
  'terminal-down': { ja: '資格確認端末が使えません', en: 'Eligibility terminal not working' },
  'no-reader': { ja: 'カードリーダーが接続されていません', en: 'No card reader connected' },
};

export const ALERT_TODO_WORDING: Words<AlertKind> = {
  'patient-request': { ja: '受付機へ行き、ご用件を伺ってください。', en: 'Go to the kiosk and ask what the patient needs.' },
  'pin-failures': {
    ja: 'カードがロックされる前に止めています。目視確認か書類で受付してください。',
    en: 'Stopped before the card locks: do the visual check, or take the documents at the desk.',
  },
  'pin-blocked': {
    ja: 'カードの顔写真と本人を目視で確認してください。ロックの解除は市区町村の窓口です。',
    en: "Compare the card's photo with the patient (visual check). The city office unlocks the PIN.",
  },
  'face-failed': { ja: '目視確認か暗証番号で本人を確認してください。', en: 'Confirm the patient by the visual check or the PIN.' },
  'visual-declined': { ja: '窓口で書類を確認して受付してください。', en: "Check the patient's documents at the desk." },
  'not-my-number-card': { ja: '資格確認書などの書類を窓口で確認してください。', en: 'Check an eligibility certificate or other document at the desk.' },
  'certificate-expired': {
    ja: '資格確認書などの書類で受付してください。電子証明書の更新は市区町村の窓口です。',
    en: 'Check in with an eligibility certificate or other document. The city office renews the certificate.',
  },
  'certificate-untrusted': { ja: '書類を窓口で確認して受付してください。', en: 'Check the documents at the desk.' },
  'eligibility-invalid': {
    ja: '今の保険を患者に確認し、書類と一件照会で確認してください。',
    en: "Ask for the patient's current insurance; confirm it with the documents and a single lookup.",
  },
  'eligibility-new-qualification': {
    ja: '新しい保険の書類（資格情報のお知らせなど）を確認してください。',
    en: 'Check the documents of the new insurance (e.g. the notice of insurance details).',
  },
  'eligibility-not-found': {
    ja: '保険が変わったばかりのことがあります。資格情報のお知らせと一件照会で確認してください。',
    en: 'The insurance may have just changed: confirm it with the notice and a single lookup.',
  },
  'eligibility-multiple': { ja: 'どの保険で受診するか患者に確認してください。', en: 'Ask the patient which insurance applies today.' },
  'eligibility-error': {
    ja: '資格確認端末と回線を確認し、書類で受付してください。',
    en: 'Check the eligibility terminal and the network; take the documents at the desk.',
  },
  'eligibility-review': { ja: '資格確認端末の結果を確認してください。', en: 'Check the result on the eligibility terminal.' },
  'registration-failed': {
    ja: '書類で受付してください。利用登録はマイナポータルでもできます。',
    en: 'Take the documents at the desk; the patient can also register on Mynaportal.',
  },
  'card-lost': { ja: '本人に事情を確認し、書類で受付してください。', en: 'Ask the patient about the card; take the documents at the desk.' },
  'fallback-documents': {
    ja: '患者が選んだ書類を確認し、窓口で受付を入力してください。',
    en: 'Check the documents the patient chose and enter the check-in at the desk.',
  },
  'agent-restarted': {
    ja: '患者に声をかけ、受付機でやり直すか窓口で受付してください。',
    en: 'Speak to the patient: start again at the kiosk, or check in at the desk.',
  },
  'visual-check': {
    ja: '受付機へ行き、カードの顔写真と本人を見比べてください。',
    en: "Go to the kiosk and compare the card's photo with the patient.",
  },
  'storage-unavailable': {
    ja: '受付機は新しい受付を止めています。管理者に連絡してください。',
    en: 'The kiosk takes no new check-ins: call the administrator.',
  },
  'insurance-pending': {
    ja: '資格情報のお知らせか資格確認書を受け取り、一件照会で保険資格を確認してください。',
    en: 'Take the notice of insurance details or the eligibility certificate and confirm the insurance by a single lookup.',
  },
  'reader-down': {
    ja: 'カードリーダーの接続と電源を確認してください。直るまでは書類で受付します。',
    en: 'Check the card reader’s cable and power; until it works, patients check in with documents.',
  },
  'terminal-down': { ja: '資格確認端末と回線を確認してください。', en: 'Check the eligibility terminal and its network.' },
  'no-reader': { ja: 'カードリーダーを接続してください。', en: 'Plug in the card reader.' },
};

export const ALERT_ACTION_WORDING: Words<AlertAction> = {
  'approve-visual': { ja: '目視OK（本人と確認）', en: 'Visual check OK' },
  'decline-visual': { ja: '目視NG', en: 'Visual check failed' },
  'desk-entry': { ja: '窓口で受付', en: 'Check in at the desk' },
  'take-over': { ja: '引き継ぐ（受付機を戻す）', en: 'Take over (reset the kiosk)' },
  dismiss: { ja: '対応済み', en: 'Done' },
};

export const REVIEW_KIND_WORDING: Words<ReviewAlert['kind']> = {
  'walk-in': { ja: '受付機を通らない顔認証結果', en: 'Face result with no kiosk check-in' },
  review: { ja: '受付との照合が必要な顔認証結果', en: 'Face result to match with a check-in' },
};

export const REVIEW_REASON_WORDING: Words<ReviewReason> = {
  'same-second': { ja: '同じ秒に複数の受付', en: 'Several check-ins in the same second' },
  'several-sessions': { ja: '候補の受付が複数', en: 'Several waiting check-ins' },
  'several-results': { ja: '結果が複数', en: 'Several results' },
  'birth-date-mismatch': { ja: '生年月日が一致しない', en: 'Birth date does not match' },
  'birth-date-unusable': { ja: '生年月日が読めない', en: 'Birth date unusable' },
  'no-timestamp': { ja: '時刻の記録がない', en: 'No time stamp' },
};

/** On a review item, take-over means the desk matched the result to a patient itself. */
export const REVIEW_ACTION_WORDING: Words<'take-over' | 'dismiss'> = {
  'take-over': { ja: '窓口で照合済み', en: 'Matched at the desk' },
  dismiss: { ja: '破棄', en: 'Discard' },
};
