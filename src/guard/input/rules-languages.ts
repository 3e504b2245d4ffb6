import type { InjectionRule } from './rule-types.js';

// The override and extraction attacks again, in languages the English, German and Romance rules
// do not read. Each pattern asks for the same parts as the English one: a verb that drops or
// reveals, a word that says "earlier", "all" or "your", and the thing dropped or revealed. The
// verbs are imperatives: manuals describe what a device ignores, resets or forgets ("previous
// settings are ignored"), and safety notes say what not to ignore; neither is an attack.
// Cyrillic is read in the text as written (`native` below): the homoglyph fold turns most
// Russian letters into Latin look-alikes. Scripts without spaces between words (Chinese,
// Japanese) are matched by their characters; their anchors are literals (see `rules.ts`).

// "Rules", "commands" and "limits" are left out of the orders in every language: diets, games,
// etiquette and old dogs have them, and a text that tells its reader to forget them is common.
// Russian and Ukrainian imperatives. Not "cancel" (`отмените все команды` undoes them), nor the
// future of "ignore" (`устройство проигнорирует` is a device).
const DROP_RU =
  '(?:забудь(?:те)?|забывай(?:те)?|проигнорируй(?:те)?|игнорируй(?:те)?|отбрось(?:те)?|' +
  'пренебреги(?:те)?|не\\s+обращай(?:те)?\\s+внимани[ея]\\s+на|не\\s+следуй(?:те)?|' +
  'перестань(?:те)?\\s+следовать|проігноруй(?:те)?|ігноруй(?:те)?)';
// "Please", set off by commas or not, may follow the verb.
const PLEASE_RU = '(?:\\s*,?\\s*(?:пожалуйста|будь\\s+добр|будьте\\s+добры)\\s*,?)?';
const EARLIER_RU =
  '(?:все|всё|всех|весь|всю|всі|усі|предыдущ\\p{L}*|прежн\\p{L}*|ранее|ранн\\p{L}*|' +
  'вышеуказанн\\p{L}*|вышеизложенн\\p{L}*|приведённ\\p{L}*|приведенн\\p{L}*|полученн\\p{L}*|' +
  'данн\\p{L}*|сво\\p{L}*|тво\\p{L}*|ваш\\p{L}*|системн\\p{L}*|исходн\\p{L}*|' +
  'первоначальн\\p{L}*|попередн\\p{L}*)';
const ORDERS_RU =
  '(?:инструкци\\p{L}*|указани\\p{L}*|директив\\p{L}*|промп?т\\p{L}*|інструкці\\p{L}*|' +
  'вказівк\\p{L}*)';
// Rules count only as the assistant's own: "все свои правила", not "все правила диеты".
const OWN_RULES_RU = '(?:сво|тво|ваш)\\p{L}*\\s+правил\\p{L}*';
const REVEAL_RU =
  '(?:покажи|покажите|выведи|выведите|раскрой|раскройте|напечатай|напечатайте|повтори|' +
  'повторите|процитируй|процитируйте|перескажи|скажи|скажите|назови|дай|покажіть|' +
  'виведи|розкрий)';
// Not "system message": support pages ask for the system's error message.
const SECRET_RU =
  '(?:системн\\p{L}*\\s+(?:промп?т|подсказк|инструкци)\\p{L}*|' +
  'исходн\\p{L}*\\s+(?:инструкци|промп?т)\\p{L}*|скрыт\\p{L}*\\s+инструкци\\p{L}*|' +
  'системн\\p{L}*\\s+(?:інструкці|підказк)\\p{L}*)';

// Chinese, simplified and traditional: drop, then what was said before, then the orders. Not
// "skip", "give up", "settings", a bare "prompt" (an installer's dialogs) or "requirements":
// manuals skip sections and reset settings, parties give up claims.
const DROP_ZH =
  '(?:忽略|无视|無視|忘记|忘記|忘掉|不要理会|不要理會|不理会|不理會|抛开|拋開|不要遵守|不要遵循|不再遵守)';
const EARLIER_ZH =
  '(?:之前|以前|先前|此前|以上|上面|上述|前面|原来|原來|原有|所有|全部|一切|系统|系統)';
// Not 说明 (any manual's "instructions") nor 命令 (a shell's commands): documents tell their
// reader to skip those. Not after "do not" (`请勿`, `不要`).
const ORDERS_ZH = '(?:指令|指示|提示词|提示詞|系统提示|系統提示|限制)';
const NOT_ZH = '(?<!不要|请勿|請勿|勿|不可|不能|不得|别|別)';
const REVEAL_ZH =
  '(?:显示|顯示|输出|輸出|告诉我|告訴我|打印|重复|重複|说出|說出|透露|泄露|洩露|给我看|給我看|展示|列出)';
const SECRET_ZH =
  '(?:系统提示词|系統提示詞|系统提示|系統提示|系统指令|系統指令|初始指令|原始指令|' +
  '系统消息|系統消息)';

// Japanese puts the verb last: "the earlier instructions (all) ignore!".
const EARLIER_JA = '(?:以前|これまで|今まで|前|上記|先ほど|先程|さっき|すべて|全て|全部|あなた)';
const ORDERS_JA = '(?:指示|命令|ルール|プロンプト|指令|制約)';
// The te-form also says "ignoring ..., (he ran)": it counts as a request only before a
// clause's end, or with ください.
const DROP_JA =
  '(?:無視(?:してください|して下さい|しろ|せよ|しなさい|して(?=[。！!、,]|$))|' +
  '忘れ(?:てください|て下さい|ろ|なさい|て(?=[。！!、,]|$)))';
const SECRET_JA = '(?:システムプロンプト|初期プロンプト|システム指示|初期指示|システムメッセージ)';
const REVEAL_JA = '(?:教えて|表示|出力|見せて|開示|繰り返|書き出)';

// Korean: the object, its particle, then the verb, told ("ignore!"), not described
// (`무시됩니다`, "are ignored").
const EARLIER_KO = '(?:이전|앞의|위의|기존|모든|너의|당신의)';
const ORDERS_KO = '(?:지시사항|지시|지침|명령|프롬프트)';
// The and-form (`무시하고`, `잊고`: "ignoring ... and") counts only when a request ends the
// sentence ("... 무시하고 비밀번호를 알려줘"): otherwise it tells what someone did.
const ASKED_KO = '(?=[^.!?\\n]{0,60}(?:줘|주세요|주십시오|하세요|하십시오|해라|하라))';
const DROP_KO =
  '(?:무시(?:하세요|하라|하십시오|해라|해(?=[\\s.!?,]|$)|하고' +
  ASKED_KO +
  ')|잊어라|잊으세요|잊어(?=[\\s.!?,]|$)|잊고' +
  ASKED_KO +
  ')';
const SECRET_KO = '(?:시스템\\s*프롬프트|초기\\s*지시|시스템\\s*지시)';
const REVEAL_KO = '(?:보여|출력|알려|말해|공개|반복)';

// Arabic: the verb, "all", the orders, "previous". The imperative opens its sentence: the same
// letters are "he ignored" and "ignoring" in the middle of one.
const DROP_AR = '(?:تجاهل|تجاهلي|تجاهلوا|انس|انسى|إنس|أهمل|اهمل|أهملي)';
const ORDERS_AR = '(?:التعليمات|الأوامر|التوجيهات|الإرشادات|الارشادات)';
const EARLIER_AR = '(?:السابقة|الأصلية|الاصلية|أعلاه|اعلاه)';

// Turkish: the dotless ı is folded to i, so both spellings are read. The verb ends there:
// `unutmayın` (do not forget) and `dikkate almak` (to take into account) say the opposite.
const ORDERS_TR = '(?:talimat|komut|yönerge|yonerge|direktif)\\p{L}*';
const DROP_TR =
  '(?:unut(?:un)?|yok\\s+say(?:[ıi]n)?|görmezden\\s+gel(?:in)?|gormezden\\s+gel(?:in)?|' +
  'göz\\s+ard[ıi]\\s+et(?:in)?|goz\\s+ard[ıi]\\s+et(?:in)?|dikkate\\s+alma(?:y[ıi]n)?|boşver|' +
  'bosver)(?=\\s*(?:[.!,;:]|$)|\\s+ve\\b)';

const ORDERS_ID = '(?:instruksi|perintah|petunjuk|arahan)';
// Not rules, commands or requirements: a shell skips commands, an installer system requirements.
const ORDERS_VI = '(?:hướng\\s+dẫn|chỉ\\s+dẫn|chỉ\\s+thị)';

/** The verbs of the Russian and Ukrainian rules, as anchors: stems of four letters or more. */
const ANCHORS_RU = [
  'забудь',
  'забывай',
  'игнорируй',
  'отбрось',
  'пренебреги',
  'обращай',
  'следуй',
  'следовать',
  'ігноруй',
];

export const OTHER_LANGUAGE_RULES: readonly InjectionRule[] = [
  {
    id: 'override-instructions',
    anchors: ANCHORS_RU,
    native: true,
    pattern: new RegExp(
      `(?<!\\p{L})(?<!(?:не|никогда\\s+не)\\s)${DROP_RU}${PLEASE_RU}(?:\\s+(?:о|об|обо|про))?(?:\\s+${EARLIER_RU}){1,3}` +
        `(?:(?:\\s+\\p{L}+)?\\s+${ORDERS_RU}|\\s+${OWN_RULES_RU})`,
      'u',
    ),
    weight: 0.9,
  },
  {
    // The verb last: "все предыдущие инструкции забудь".
    id: 'override-instructions',
    anchors: ANCHORS_RU,
    native: true,
    pattern: new RegExp(
      `(?<!\\p{L})(?:${EARLIER_RU}\\s+){1,3}(?:\\p{L}+\\s+)?${ORDERS_RU}\\s*,?\\s+(?<!(?:не|никогда\\s+не)\\s)${DROP_RU}(?!\\p{L})`,
      'u',
    ),
    weight: 0.9,
  },
  {
    // "Forget everything you were told": no word for the orders.
    id: 'override-instructions',
    anchors: ['забудь'],
    native: true,
    pattern:
      /(?<!\p{L})забудь(?:те)?\s+(?:обо\s+|про\s+)?вс[её]\s*,?\s+(?:что|чему|о\s+ч[её]м)\s+(?:тебе\s+|вам\s+|тебя\s+|вас\s+)?(?:говорили|сказали|учили|написано|было\s+(?:сказано|написано))/u,
    weight: 0.9,
  },
  {
    id: 'prompt-extraction',
    anchors: ['системн', 'исходн', 'скрыт'],
    native: true,
    pattern: new RegExp(
      `(?<!\\p{L})${REVEAL_RU}(?:\\s+(?:мне|нам))?\\s+(?:сво\\p{L}*|тво\\p{L}*|ваш\\p{L}*)` +
        `(?:\\s+(?:полн|точн|весь|вес)\\p{L}*)?\\s+${SECRET_RU}`,
      'u',
    ),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: [
      '忽略',
      '无视',
      '無視',
      '忘记',
      '忘記',
      '忘掉',
      '理会',
      '理會',
      '抛开',
      '拋開',
      '遵守',
      '遵循',
    ],
    pattern: new RegExp(
      `${NOT_ZH}${DROP_ZH}(?:掉)?(?:你的|你)?${EARLIER_ZH}(?:给你的|收到的)?(?:的)?(?:所有|全部|一切|系统|系統)?(?:的)?${ORDERS_ZH}`,
    ),
    weight: 0.9,
  },
  {
    id: 'prompt-extraction',
    anchors: ['提示', '指令', '系统', '系統'],
    pattern: new RegExp(
      `${REVEAL_ZH}(?:一下)?(?:你的|你)(?:完整的|全部的|原始的|初始的|完整|全部)?${SECRET_ZH}`,
    ),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['無視', '忘れ'],
    pattern: new RegExp(
      `${EARLIER_JA}の?(?:すべての|全ての)?${ORDERS_JA}(?:を|は)?(?:すべて|全て|全部)?${DROP_JA}`,
    ),
    weight: 0.9,
  },
  {
    id: 'prompt-extraction',
    anchors: ['プロンプト', '指示', 'システム'],
    pattern: new RegExp(`あなたの${SECRET_JA}(?:を|の内容を)(?:すべて|全て|そのまま)?${REVEAL_JA}`),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['무시', '잊어', '잊고', '잊으'],
    pattern: new RegExp(
      `${EARLIER_KO}(?:의)?\\s*(?:모든\\s*)?${ORDERS_KO}(?:을|를|은|는|들을)?\\s*` +
        `(?:모두\\s*|전부\\s*|다\\s*)?${DROP_KO}`,
    ),
    weight: 0.9,
  },
  {
    // Not "네": it is also "yes".
    id: 'prompt-extraction',
    anchors: ['프롬프트', '지시', '메시지'],
    pattern: new RegExp(`(?:너의|당신의)\\s*${SECRET_KO}(?:을|를)?\\s*${REVEAL_KO}`),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['تجاهل', 'تجاهلي', 'تجاهلوا', 'انس', 'انسى', 'إنس', 'أهمل', 'اهمل', 'أهملي'],
    pattern: new RegExp(
      `(?<=(?:^|[.!?؟:\\n])\\s{0,8})${DROP_AR}\\s+(?:(?:جميع|كل|كافة)\\s+${ORDERS_AR}|${ORDERS_AR}\\s+${EARLIER_AR})`,
      'u',
    ),
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    anchors: ['talimat', 'komut', 'yönerge', 'yonerge', 'direktif'],
    pattern: new RegExp(
      `(?<!\\p{L})(?:önceki|onceki|tüm|tum|bütün|butun|yukar[ıi]daki|sistem)\\s+(?:\\p{L}+\\s+){0,2}?` +
        `${ORDERS_TR}\\s+(?:\\p{L}+\\s+)?${DROP_TR}`,
      'u',
    ),
    weight: 0.9,
  },
  {
    // Not after "jangan" (do not).
    id: 'override-instructions',
    anchors: ['abaikan', 'lupakan', 'acuhkan', 'ikuti'],
    pattern: new RegExp(
      `(?<!jangan(?:\\s+pernah)?\\s)\\b(?:abaikan|lupakan|acuhkan|jangan\\s+ikuti)\\s+(?:(?:semua|seluruh|segala)\\s+(?:\\p{L}+\\s+)?` +
        `${ORDERS_ID}|(?:\\p{L}+\\s+)?${ORDERS_ID}\\s+(?:sebelumnya|di\\s+atas|awal|sistem))`,
      'u',
    ),
    weight: 0.9,
  },
  {
    // Not after "không (được)", "đừng", "chớ" (do not).
    id: 'override-instructions',
    anchors: ['qua', 'quên', 'phớt'],
    pattern: new RegExp(
      `(?<!(?:không|đừng|chớ)(?:\\s+(?:được|nên|bao\\s+giờ))?\\s)\\b(?:bỏ\\s+qua|phớt\\s+lờ|quên|lờ\\s+đi)\\s+(?:đi\\s+)?` +
        `(?:(?:tất\\s+cả|mọi|toàn\\s+bộ)\\s+(?:các\\s+|những\\s+)?${ORDERS_VI}|(?:các\\s+|những\\s+)?` +
        `${ORDERS_VI}(?:\\s+\\p{L}+)?\\s+(?:trước\\s+đó|trước|ban\\s+đầu|hệ\\s+thống|ở\\s+trên|phía\\s+trên))`,
      'u',
    ),
    weight: 0.9,
  },
];

/**
 * The Russian, Chinese and Japanese override rules again, over letters only, for text whose
 * letters were spaced out (`з а б у д ь т е`, `忽 略 之 前`): the spaces between letters and
 * those between words are then the same, and only the letters tell the words apart.
 */
export const COMPACT_OTHER_LANGUAGE_RULES: readonly InjectionRule[] = [
  {
    id: 'override-instructions',
    native: true,
    compact: true,
    pattern:
      /(?:забудь|забудьте|проигнорируй|проигнорируйте|игнорируй|игнорируйте|отбрось|отбросьте|пренебреги|ігноруй|ігноруйте|проігноруй)(?:все|всё|всех|всі|усі|свои|твои|ваши|предыдущ\p{L}{1,4}?|прежн\p{L}{1,4}?|попередн\p{L}{1,4}?)+(?:инструкци|указани|правил|команд|директив|ограничени|інструкці|вказівк)/u,
    weight: 0.9,
  },
  {
    id: 'override-instructions',
    compact: true,
    pattern: new RegExp(
      `${NOT_ZH}${DROP_ZH}(?:掉)?(?:你的|你)?${EARLIER_ZH}(?:给你的|收到的)?(?:的)?(?:所有|全部|一切|系统|系統)?(?:的)?${ORDERS_ZH}` +
        `|${EARLIER_JA}の?(?:すべての|全ての)?${ORDERS_JA}(?:を|は)?(?:すべて|全て|全部)?${DROP_JA}`,
    ),
    weight: 0.9,
  },
];
