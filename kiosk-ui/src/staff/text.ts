import type { ErrorCode, StaffWording } from '@kiosk/protocol';

/**
 * The console's own words (headings, buttons, form labels) in the staff languages. Every code it shows
 * (status, reason, document, action…) is worded once in the protocol (staff-wording.ts, wording.ts) and
 * looked up with `word`; nothing here repeats those.
 */
export const STAFF_LANGUAGES = ['ja', 'en'] as const;
export type StaffLanguage = (typeof STAFF_LANGUAGES)[number];

export const word = (wording: StaffWording, language: StaffLanguage): string => wording[language];

export interface StaffText {
  readonly languageName: string;
  readonly title: string;
  readonly signIn: {
    readonly heading: string;
    readonly lead: string;
    readonly username: string;
    readonly password: string;
    readonly submit: string;
    readonly wrong: string;
    readonly throttled: (seconds: number | undefined) => string;
    readonly expired: string;
  };
  readonly bar: {
    readonly statusGroup: string;
    readonly toolsGroup: string;
    readonly languageGroup: string;
    readonly connected: string;
    readonly disconnected: string;
    readonly reader: string;
    readonly readerStates: { readonly ok: string; readonly starting: string; readonly down: string; readonly none: string };
    readonly kiosk: string;
    readonly kioskStates: { readonly idle: string; readonly busy: string; readonly waiting: string };
    readonly sound: string;
    readonly soundOn: string;
    readonly soundOff: string;
    readonly print: string;
    readonly exportCsv: string;
    readonly exportJson: string;
    readonly signedInAs: string;
    readonly signOut: string;
    readonly now: string;
  };
  readonly demo: string;
  readonly alerts: {
    readonly heading: string;
    readonly none: string;
    readonly atKiosk: string;
    readonly isNew: string;
    readonly since: string;
    readonly minutesAgo: (minutes: number) => string;
    readonly reference: string;
    readonly chosen: string;
    readonly clearsItself: string;
    readonly announce: (what: string) => string;
  };
  readonly reviews: {
    readonly heading: string;
    readonly reason: string;
    readonly outcome: string;
    readonly candidates: string;
    readonly candidate: (time: string, reference: string) => string;
  };
  readonly queue: {
    readonly heading: string;
    readonly count: (n: number) => string;
    readonly order: string;
    readonly none: string;
    readonly number: string;
    readonly time: string;
    readonly status: string;
    readonly auth: string;
    readonly eligibility: string;
    readonly documents: string;
    readonly patientNumber: string;
    readonly notes: string;
    readonly noNumber: string;
    readonly newEntry: string;
    readonly orca: string;
    readonly orcaCandidates: string;
    readonly orcaPatientNumber: string;
  };
  readonly entry: {
    readonly heading: string;
    readonly close: string;
    readonly linked: string;
    readonly notLinked: string;
    readonly linkedOption: (time: string, what: string, reference: string) => string;
    readonly documents: string;
    readonly insurance: string;
    readonly insurerNumber: string;
    readonly insurerOk: (kind: string) => string;
    readonly insurerBad: string;
    readonly symbol: string;
    readonly number: string;
    readonly branch: string;
    readonly birthDate: string;
    readonly birthDateHint: string;
    readonly expiries: string;
    readonly expiry: { readonly shikaku_kakuninsho: string; readonly old_hokensho: string; readonly medical_ticket: string };
    readonly cannotOperate: string;
    readonly lookup: string;
    readonly lookupHint: string;
    readonly pickDocuments: string;
    readonly verdict: string;
    readonly reasons: string;
    readonly checks: string;
    readonly guidance: string;
    readonly lookupResult: (outcome: string, copay: number | undefined) => string;
    readonly save: string;
    readonly saved: string;
    readonly savedNumber: string;
    readonly savedNoNumber: string;
  };
  readonly rules: {
    readonly heading: string;
    readonly checked: (date: string, days: number) => string;
    readonly stale: (days: number) => string;
    readonly override: string;
    readonly sources: (n: number) => string;
    readonly undated: string;
  };
  readonly errors: Readonly<Partial<Record<ErrorCode, string>>> & {
    readonly other: string;
    readonly alreadyDone: (queueNumber: number) => string;
    readonly badBoard: string;
  };
}

const ja: StaffText = {
  languageName: '日本語',
  title: '受付スタッフ画面',
  signIn: {
    heading: 'サインイン',
    lead: '受付の職員用です。ご自身のユーザー名とパスワードを入力してください。',
    username: 'ユーザー名',
    password: 'パスワード',
    submit: 'サインイン',
    wrong: 'ユーザー名かパスワードが違います。',
    throttled: (s) =>
      s ? `試行回数が多すぎます。${Math.ceil(s / 60)}分ほど待ってから、もう一度お試しください。` : '試行回数が多すぎます。しばらく待ってからお試しください。',
    expired: 'サインインの有効期限が切れました。もう一度サインインしてください。',
  },
  bar: {
    statusGroup: '機器の状態',
    toolsGroup: '操作',
    languageGroup: '表示言語',
    connected: '受付機と接続中',
    disconnected: '受付機との接続が切れています（再接続中）',
    reader: 'カードリーダー',
    readerStates: { ok: '使用可', starting: '起動中', down: '使用不可', none: '未接続' },
    kiosk: '受付機',
    kioskStates: { idle: '待機中', busy: '患者が操作中', waiting: '係員を待っています' },
    sound: '通知音',
    soundOn: 'オン',
    soundOff: 'オフ',
    print: '印刷',
    exportCsv: 'CSVで書き出し',
    exportJson: 'JSONで書き出し',
    signedInAs: '担当',
    signOut: 'サインアウト',
    now: '現在',
  },
  demo: 'デモです：模擬リーダーと架空の患者で、実際の資格確認はしていません。',
  alerts: {
    heading: '対応が必要',
    none: 'いま対応が必要な患者さんはいません。',
    atKiosk: '受付機の前でお待ちです',
    isNew: '新着',
    since: '発生',
    minutesAgo: (m) => (m < 1 ? 'たった今' : `${m}分前`),
    reference: '参照',
    chosen: '患者が選んだ書類',
    clearsItself: '直ると自動で消えます。',
    announce: (what) => `新しい対応：${what}`,
  },
  reviews: {
    heading: '資格確認端末の結果',
    reason: '理由',
    outcome: '資格',
    candidates: '候補の受付',
    candidate: (time, ref) => `${time}の受付（参照 ${ref}）`,
  },
  queue: {
    heading: '本日の受付',
    count: (n) => `${n}件`,
    order: '新しい順',
    none: 'まだ受付はありません。',
    number: '受付番号',
    time: '受付時刻',
    status: '状態',
    auth: '本人確認',
    eligibility: '保険資格',
    documents: '書類',
    patientNumber: '患者番号',
    notes: '備考',
    noNumber: '番号なし',
    newEntry: '窓口で受付を入力',
    orca: 'レセコン（ORCA）',
    orcaCandidates: '候補の患者番号',
    orcaPatientNumber: 'ORCAの患者番号',
  },
  entry: {
    heading: '窓口で受付を入力',
    close: '閉じる',
    linked: '対象の受付',
    notLinked: '受付機の受付と結び付けない（窓口だけの受付）',
    linkedOption: (time, what, ref) => `${time} ${what}（参照 ${ref}）`,
    documents: '提示された書類',
    insurance: '保険の情報',
    insurerNumber: '保険者番号',
    insurerOk: (kind) => `検証番号OK（${kind}）`,
    insurerBad: '保険者番号が正しくありません（6桁か8桁で、最後の桁は検証番号です）。',
    symbol: '記号',
    number: '番号',
    branch: '枝番',
    birthDate: '生年月日',
    birthDateHint: '一件照会にだけ使い、保存しません。',
    expiries: '券面の有効期限',
    expiry: { shikaku_kakuninsho: '資格確認書の有効期限', old_hokensho: '健康保険証の有効期限', medical_ticket: '医療券の有効期間の末日' },
    cannotOperate: '患者がカードリーダーを操作できない',
    lookup: '一件照会を行う',
    lookupHint: '保険者番号・番号・生年月日で、オンライン資格確認の一件照会をします。',
    pickDocuments: '提示された書類を選んでください。',
    verdict: '判定',
    reasons: '理由',
    checks: '受付前に確認すること',
    guidance: '患者への案内',
    lookupResult: (outcome, copay) => `一件照会：${outcome}${copay !== undefined ? `（負担割合 ${copay / 10}割）` : ''}`,
    save: '保存して受付する',
    saved: '保存しました。',
    savedNumber: '受付番号',
    savedNoNumber: '受付番号は発行していません（受付不可）。',
  },
  rules: {
    heading: '書類ルールの版',
    checked: (date, days) => `${date} 確認（${days}日前）`,
    stale: (days) => `ルールの版が${days}日より古くなっています。新しい通知（事務連絡）がないか確認してください。`,
    override: '医療機関の設定ファイルで上書き中の項目',
    sources: (n) => `出典（${n}件）`,
    undated: '日付なし',
  },
  errors: {
    INPUT_INVALID: '入力内容を確認してください。',
    INPUT_NOT_ALLOWED_NOW: 'いまはこの操作はできません。画面が最新になってから、もう一度お試しください。',
    INPUT_STALE_SESSION: 'この患者さんは、もう受付機を操作していません。',
    STORAGE_UNAVAILABLE: '記録を保存できません。管理者に連絡してください。',
    TRANSPORT_UNAUTHORIZED: 'サインインし直してください。',
    TRANSPORT_RATE_LIMITED: '操作が多すぎます。しばらく待ってからお試しください。',
    other: '操作できませんでした。もう一度お試しください。',
    alreadyDone: (n) => `この受付はすでに完了しています（受付番号 ${n}）。`,
    badBoard: '受付機から読めないデータが届きました。画面を再読み込みしてください。',
  },
};

const en: StaffText = {
  languageName: 'English',
  title: 'Reception staff console',
  signIn: {
    heading: 'Sign in',
    lead: 'For reception staff. Enter your own user name and password.',
    username: 'User name',
    password: 'Password',
    submit: 'Sign in',
    wrong: 'Wrong user name or password.',
    throttled: (s) => (s ? `Too many tries. Wait about ${Math.ceil(s / 60)} min, then try again.` : 'Too many tries. Wait a while, then try again.'),
    expired: 'Your sign-in has expired. Please sign in again.',
  },
  bar: {
    statusGroup: 'Equipment',
    toolsGroup: 'Tools',
    languageGroup: 'Language',
    connected: 'Connected to the kiosk',
    disconnected: 'Not connected to the kiosk (reconnecting)',
    reader: 'Card reader',
    readerStates: { ok: 'working', starting: 'starting', down: 'not working', none: 'not connected' },
    kiosk: 'Kiosk',
    kioskStates: { idle: 'waiting', busy: 'patient using it', waiting: 'waiting for staff' },
    sound: 'Sound',
    soundOn: 'on',
    soundOff: 'off',
    print: 'Print',
    exportCsv: 'Export CSV',
    exportJson: 'Export JSON',
    signedInAs: 'Staff',
    signOut: 'Sign out',
    now: 'Now',
  },
  demo: 'Demonstration: mock reader and invented patients; no real eligibility check.',
  alerts: {
    heading: 'Needs a person',
    none: 'No patient needs a person right now.',
    atKiosk: 'Waiting at the kiosk',
    isNew: 'New',
    since: 'Since',
    minutesAgo: (m) => (m < 1 ? 'just now' : `${m} min ago`),
    reference: 'Ref.',
    chosen: 'Documents the patient chose',
    clearsItself: 'Clears by itself once fixed.',
    announce: (what) => `New: ${what}`,
  },
  reviews: {
    heading: 'Eligibility terminal results',
    reason: 'Reason',
    outcome: 'Insurance',
    candidates: 'Possible check-ins',
    candidate: (time, ref) => `check-in at ${time} (ref. ${ref})`,
  },
  queue: {
    heading: "Today's check-ins",
    count: (n) => `${n}`,
    order: 'newest first',
    none: 'No check-ins yet.',
    number: 'No.',
    time: 'Time',
    status: 'Status',
    auth: 'Identity',
    eligibility: 'Insurance',
    documents: 'Documents',
    patientNumber: 'Patient no.',
    notes: 'Notes',
    noNumber: 'no number',
    newEntry: 'Check in at the desk',
    orca: 'Receipt computer (ORCA)',
    orcaCandidates: 'Candidate patient numbers',
    orcaPatientNumber: 'ORCA patient number',
  },
  entry: {
    heading: 'Check in at the desk',
    close: 'Close',
    linked: 'Check-in',
    notLinked: 'Not linked to a kiosk check-in (desk only)',
    linkedOption: (time, what, ref) => `${time} ${what} (ref. ${ref})`,
    documents: 'Documents presented',
    insurance: 'Insurance details',
    insurerNumber: 'Insurer number',
    insurerOk: (kind) => `Check digit OK (${kind})`,
    insurerBad: 'Not a valid insurer number (6 or 8 digits, the last one a check digit).',
    symbol: 'Symbol',
    number: 'Number',
    branch: 'Branch',
    birthDate: 'Birth date',
    birthDateHint: 'Used only for the single lookup; never stored.',
    expiries: 'Printed expiry dates',
    expiry: {
      shikaku_kakuninsho: 'Eligibility certificate expiry',
      old_hokensho: 'Old insurance card expiry',
      medical_ticket: 'Medical ticket: last day of its month',
    },
    cannotOperate: 'The patient cannot operate the card reader',
    lookup: 'Run a single lookup',
    lookupHint: 'Confirms eligibility online by insurer number, number and birth date.',
    pickDocuments: 'Pick the documents presented.',
    verdict: 'Decision',
    reasons: 'Reasons',
    checks: 'Check before accepting',
    guidance: 'Tell the patient',
    lookupResult: (outcome, copay) => `Single lookup: ${outcome}${copay !== undefined ? ` (copay ${copay}%)` : ''}`,
    save: 'Save and check in',
    saved: 'Saved.',
    savedNumber: 'Queue number',
    savedNoNumber: 'No queue number issued (not accepted).',
  },
  rules: {
    heading: 'Document rules edition',
    checked: (date, days) => `checked ${date} (${days} ${days === 1 ? 'day' : 'days'} ago)`,
    stale: (days) => `The rules edition is older than ${days} days: check for newer notices (事務連絡).`,
    override: 'Set by the clinic’s rules file',
    sources: (n) => `Sources (${n})`,
    undated: 'undated',
  },
  errors: {
    INPUT_INVALID: 'Please check what you entered.',
    INPUT_NOT_ALLOWED_NOW: 'This cannot be done right now. Try again once the screen has updated.',
    INPUT_STALE_SESSION: 'This patient is no longer using the kiosk.',
    STORAGE_UNAVAILABLE: 'Records cannot be saved. Call the administrator.',
    TRANSPORT_UNAUTHORIZED: 'Please sign in again.',
    TRANSPORT_RATE_LIMITED: 'Too many requests. Wait a while, then try again.',
    other: 'That did not work. Please try again.',
    alreadyDone: (n) => `This check-in is already complete (queue number ${n}).`,
    badBoard: 'The kiosk sent data the console cannot read. Reload the page.',
  },
};

export const STAFF_TEXT: Readonly<Record<StaffLanguage, StaffText>> = { ja, en };

/** An agent error in the console's words; the code itself is never shown. */
export function errorWords(t: StaffText, error: { code: ErrorCode; details?: Record<string, unknown> }): string {
  const queueNumber = error.details?.queueNumber;
  if (error.code === 'INPUT_NOT_ALLOWED_NOW' && typeof queueNumber === 'number') return t.errors.alreadyDone(queueNumber);
  return t.errors[error.code] ?? t.errors.other;
}
