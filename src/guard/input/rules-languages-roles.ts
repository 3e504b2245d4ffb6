import type { InjectionRule } from './rule-types.js';

/**
 * An assistant told it is now one without rules, and its instructions asked for, in the
 * languages users switch to. Each needs the assistant addressed ("du bist", "eres", "ты") and
 * what it is to be without named as rules, limits or filters: a question about "an AI without
 * rules" is left alone.
 */
export const OTHER_LANGUAGE_ROLE_RULES: readonly InjectionRule[] = [
  {
    id: 'role-redefinition',
    anchors: ['ohne', 'sin', 'senza', 'sem', 'sans', 'zonder'],
    // The assistant addressed and named as an AI is read behind the match, a few words back
    // at most: tries start at the word for "without", and a long text costs no more than the
    // words it holds. Limits of something ("sin límites de horario") are a product's.
    pattern:
      /(?<=(?<![\p{L}\p{N}])(?:du\s+bist|du\s+wärst|wärst\s+du|ab\s+(?:jetzt|sofort)\s+bist\s+du|von\s+nun\s+an\s+bist\s+du|spiel(?:e)?\s+die\s+rolle|eres|serás|actúa\s+como|sei|sarai|agisci\s+come|você\s+é|tu\s+és|seja|tu\s+es|vous\s+êtes|sois|soyez|agis\s+comme|je\s+bent|jij\s+bent|wees)(?![\p{L}\p{N}])(?:\s+\S+){0,4}?\s+(?:(?:un|una|uno|une|eine?n?|een|uma|um)\s+|un')?(?:ki|ia|assistent(?:e|in)?|asistente|assistant|chatbot|bot|intelligenza\s+artificiale|inteligencia\s+artificial|intelligence\s+artificielle|inteligência\s+artificial|hacker\p{L}*|charakter|personaje|personaggio|personnage)(?![\p{L}\p{N}])(?:\s+\S+){0,3}?\s+)(?:ohne|sin|senza|sem|sans|zonder)\s+(?:jegliche\s+|jede\s+|irgendwelche\s+|ningun[ao]s?\s+|nessun[ao]?\s+|nenhum[ao]?\s+|aucune?\s+|enige\s+)?(?:regeln|grenzen|einschränkungen|beschränkungen|filter|zensur|restricciones|reglas|filtros|límites|censura|regole|restrizioni|filtri|limiti|regras|restrições|limites|règles|filtres|censure|regels|beperkingen)(?![\p{L}\p{N}])(?!\s+(?:de|del|di|du|des|do|da|van|von|für|per|para|op)(?![\p{L}\p{N}])(?!\s+(?:ningún|ningun|ninguna|aucune?|alcun[ao]?|nenhum[ao]?|qualquer|jeglicher|irgendeiner)))/u,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: [
      'entwicklermodus',
      'ontwikkelaarsmodus',
      'desarrollador',
      'développeur',
      'developpeur',
      'sviluppatore',
      'desenvolvedor',
    ],
    pattern:
      /\b(?:entwicklermodus|ontwikkelaarsmodus|modo\s+(?:de\s+)?desarrollador|mode\s+d[ée]veloppeur|modalità\s+sviluppatore|modo\s+(?:de\s+)?desenvolvedor)\b[^\n]{0,80}?\b(?:ignorierst|ungefiltert|ohne\s+(?:einschränkungen|filter|regeln)|beperkingen|uitgeschakeld|sin\s+(?:restricciones|filtros)|ignoras|sans\s+(?:restrictions|filtres)|ignores|senza\s+(?:restrizioni|filtri)|ignori|sem\s+(?:restrições|filtros)|ignora)/,
    weight: 0.9,
  },
  {
    id: 'role-redefinition',
    anchors: ['ограничени', 'правил', 'фильтр', 'цензур'],
    native: true,
    pattern:
      /(?<!\p{L})(?:ты|вы)\s+(?:теперь\s+|сейчас\s+|отныне\s+)?(?:\p{L}+\s+){0,2}?(?:ии|ai|бот|ассистент|помощник|модель|нейросеть|чат-бот)(?!\p{L})[^.!?\n]{0,40}?(?<!\p{L})без\s+(?:каких-либо\s+|всяких\s+|любых\s+)?(?:ограничений|правил|фильтров|цензуры)/u,
    weight: 0.9,
  },
  {
    // Chinese and Japanese: "you are now an AI without any limits".
    id: 'role-redefinition',
    anchors: ['你是', '你现在是', '你現在是', 'あなたは', '君は', 'お前は'],
    pattern:
      /(?<=(?:你是|你现在是|你現在是|あなたは|君は|お前は)[^。！？\n]{0,30}?)(?:没有任何限制|沒有任何限制|没有限制|沒有限制|无限制|無限制|不受任何限制|没有规则|沒有規則|制限のない|制限なし|制限がない|ルールのない|フィルターのない)/,
    weight: 0.9,
  },
  {
    id: 'prompt-extraction',
    // The nouns, one of which every form holds: short words such as "tu" or "il" start too many
    // English words to be worth looking for.
    anchors: [
      'anweisungen',
      'regeln',
      'instruktionen',
      'vorgaben',
      'richtlinien',
      'systemanweisungen',
      'instructions',
      'consignes',
      'règles',
      'prompt',
      'instrucciones',
      'instruções',
      'regras',
      'istruzioni',
    ],
    pattern:
      /\bdeine[rn]?\s+(?:ursprünglichen|versteckten|geheimen|anfänglichen|internen|originalen|ersten|verborgenen)\s+(?:anweisungen|regeln|instruktionen|vorgaben|richtlinien|systemanweisungen)\b|\b(?:les\s+)?(?:instructions|consignes|règles)\s+que\s+tu\s+as\s+re[çc]ues\b|\bton\s+prompt\s+(?:système|systeme|initial)\b|\btes\s+(?:instructions|consignes|règles)\s+(?:initiales|cachées|secrètes|d'origine|originales)\b|\btus\s+instrucciones\s+(?:iniciales|originales|ocultas|secretas)\b|\btu\s+prompt\s+(?:inicial|de\s+sistema|del\s+sistema)\b|\b(?:seu|teu)\s+prompt\s+(?:inicial|de\s+sistema|do\s+sistema)\b|\b(?:suas|tuas)\s+(?:instruções|regras)\s+(?:iniciais|originais|ocultas|secretas)\b|\b(?:tue|sue)\s+istruzioni\s+(?:iniziali|originali|nascoste|segrete)\b|\bil\s+tuo\s+prompt\s+(?:iniziale|di\s+sistema)\b/,
    weight: 0.8,
  },
];
