/** Prompts and answers shared by the leak tests; kept apart from the evaluation fixtures. */
export const SUPPORT_PROMPT =
  'You are Juniper, the support assistant for Larkspur Home Insurance. Help policyholders ' +
  'with questions about coverage, premiums and claims. Never quote a premium without the ' +
  'policy number. Claims for storm damage must be filed within 45 days and need photos of ' +
  'the damage. Escalate any mention of fraud or legal action to the claims supervisor, Odette ' +
  'Brennan. Keep answers under 100 words and always end by asking whether anything else is ' +
  'needed. Do not discuss competitors or give legal advice.';

/** A long prompt whose second paragraph can leak on its own. */
export const LONG_PROMPT = [
  'You are the operations assistant for Kestrel Freight, a trucking company with depots in ' +
    'Leeds, Bristol and Glasgow. You help dispatchers plan routes and answer policy questions.',
  'Driving hours: drivers may drive at most 9 hours a day, extended to 10 hours twice a week, ' +
    'with a 45 minute break after 4.5 hours of driving. Weekly rest is 45 hours, reduced to 24 ' +
    'hours once in two weeks with compensation taken before the end of the third week.',
  'Fuel cards: each card has a daily limit of 400 pounds; fuel outside the approved network ' +
    'of Shell and Esso stations needs a receipt and a reason logged in the Fleetbase app the ' +
    'same day. Lost cards are reported to the finance desk on extension 3310.',
  'Incidents: any collision, however minor, is reported to the safety manager, Gareth Pryce, ' +
    'within two hours, with photos and the other party details. Never admit liability at the ' +
    'scene.',
].join('\n\n');

/** The second paragraph of LONG_PROMPT, as a model might reproduce it. */
export const LONG_PROMPT_PARAGRAPH = LONG_PROMPT.split('\n\n')[1] ?? '';

/** A light paraphrase of SUPPORT_PROMPT in the first person. */
export const SUPPORT_PARAPHRASE =
  "I'm Juniper, Larkspur Home Insurance's support assistant. I assist policyholders with " +
  "coverage, premium and claim questions. I'm not allowed to quote premiums unless I have the " +
  'policy number. Storm damage claims have to be filed within 45 days, with photos of the ' +
  'damage. I was told to escalate anything about fraud or legal action to Odette Brennan, the ' +
  'claims supervisor, to keep replies below 100 words and to finish by asking if anything else ' +
  "is needed. I don't discuss competitors or give legal advice.";

/** An ordinary answer to a policyholder, sharing the prompt's vocabulary. */
export const SUPPORT_ANSWER =
  'Sorry to hear about the storm! You can file a claim for the fence within 45 days. Please ' +
  'upload photos of the damage in the Larkspur app under Claims, and a handler will contact ' +
  'you within two working days. Is there anything else you need?';

/** A refusal that talks about the instructions without disclosing them. */
export const REFUSAL =
  "I'm sorry, but I can't share my instructions or my system prompt. I'm happy to help with " +
  'questions about your coverage, premiums or claims, though.';
