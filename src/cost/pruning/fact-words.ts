/**
 * Capitalised words that open sentences far more often than they name anyone: a capitalised
 * run made only of these is not kept as a name.
 */
export const NOT_NAMES = new Set(
  `a about above absolutely actually after again ago all also although always am an and another
any anyway are around as at awesome aw aww back be because been before being best better both
but by bye can can't cheers congrats congratulations cool could dear definitely did didn't do
does doesn't don't done during each either enjoy even ever every exactly excellent fantastic
fine first for from fun glad good goodbye got great guess had has have haven't having he he's
hello her here hers hey hi him his hmm honestly hope how however i i'd i'll i'm i've if in
indeed interesting is isn't it it's its just keep last later let let's like lol look love lovely
made make many maybe me meanwhile might mine more most much must my nah neat never next nice no
nope nor not nothing now of oh ok okay on once one only or other our ours out over perfect
perhaps please plus pretty probably quite rather really right same see seems she she's should
since so some something sometimes soon sorry sounds still such super sure thank thanks that
that's the their them then there there's these they they're thing things this those though
through thus to today together tomorrow too totally true truly two under unless until up us
very wait was wasn't we we're we've well were what what's whatever when where whether which
while who why will with without wonderful would wow yay yeah yes yesterday yet you you'll
you're you've your yours yup simulated answer user assistant tool summary note anything
everything everyone someone anyone wanna gonna gotta woah whoa check man long believe appreciate
lost success haha hahaha omg btw`.split(/\s+/u),
);

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const SHORT_MONTHS = [
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
];
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const SHORT_WEEKDAYS = ['mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun'];

for (const word of [...MONTHS, ...SHORT_MONTHS, ...WEEKDAYS, ...SHORT_WEEKDAYS])
  NOT_NAMES.add(word);

/** A month name or its usual abbreviation, as a regular-expression alternative. */
export const MONTH_PATTERN = `(?:${[...MONTHS, ...SHORT_MONTHS].join('|')})\\.?`;
