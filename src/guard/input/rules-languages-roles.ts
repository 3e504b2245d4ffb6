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
    anchors: ['ohne', 'keine', 'sin', 'senza', 'sem', 'sans', 'zonder'],
    // The assistant addressed is read behind the match: tries start at the word for "without".
    pattern:
      /(?<=\b(?:du\s+bist|du\s+wärst|wärst\s+du|sei|bist\s+du|ab\s+(?:jetzt|sofort)\s+bist\s+du|von\s+nun\s+an\s+bist\s+du|spiel(?:e)?\s+(?:die\s+rolle)?|eres|serás|sé|actúa\s+como|sei|sarai|agisci\s+come|você\s+é|tu\s+és|és|seja|tu\s+es|vous\s+êtes|sois|soyez|agis\s+comme|je\s+bent|jij\s+bent|wees)\b[^.!?\n]{0,60}?\b(?:ki|ia|ai|assistent(?:e|in)?|asistente|assistant|bot|chatbot|modell|modelo|modello|modèle|hacker\w*|charakter|personaje|personaggio|personnage)\b[^.!?\n]{0,40}?)\b(?:ohne|keine|sin|senza|sem|sans|zonder)\s+(?:jegliche\s+|jede\s+|irgendwelche\s+|ningun[ao]s?\s+|nessun[ao]?\s+|nenhum[ao]?\s+|aucune?\s+|enige\s+)?(?:\S+\s+)?(?:regeln|grenzen|einschränkungen|beschränkungen|filter|zensur|restricciones|reglas|filtros|límites|censura|regole|restrizioni|filtri|limiti|regras|restrições|limites|règles|filtres|censure|regels|beperkingen|grenzen)\b/,
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
      /\b(?:deine[rn]?|ihre[rn]?)\s+(?:ursprünglichen|versteckten|geheimen|anfänglichen|internen|originalen|ersten|verborgenen)\s+(?:anweisungen|regeln|instruktionen|vorgaben|richtlinien|systemanweisungen)\b|\b(?:les\s+)?(?:instructions|consignes|règles)\s+que\s+(?:tu\s+as|vous\s+avez)\s+re[çc]ues\b|\b(?:ton|votre)\s+prompt\s+(?:système|systeme|initial)\b|\b(?:tes|vos)\s+(?:instructions|consignes|règles)\s+(?:initiales|cachées|secrètes|d'origine|originales)\b|\b(?:tus|sus)\s+instrucciones\s+(?:iniciales|originales|ocultas|secretas)\b|\b(?:tu|su)\s+prompt\s+(?:inicial|de\s+sistema|del\s+sistema)\b|\b(?:seu|teu)\s+prompt\s+(?:inicial|de\s+sistema|do\s+sistema)\b|\b(?:suas|tuas)\s+(?:instruções|regras)\s+(?:iniciais|originais|ocultas|secretas)\b|\b(?:tue|sue)\s+istruzioni\s+(?:iniziali|originali|nascoste|segrete)\b|\bil\s+tuo\s+prompt\s+(?:iniziale|di\s+sistema)\b/,
    weight: 0.8,
  },
];
