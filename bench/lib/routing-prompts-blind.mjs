// A held-out set of simple and complex chat requests. Each string is one user message. The
// labels are the writer's judgment of whether a small, cheap (7B-class) model would answer the
// request well (simple) or would likely answer it badly and deserves a frontier model (complex).
// The set was written fresh, without reference to the estimate it is meant to measure, so it can
// be used to score that estimate honestly. Do not tune the estimate on these strings.

export const BLIND_COMPLEX_PROMPTS = [
  // --- short hard questions (under 120 characters) ---
  'Prove that there are infinitely many primes of the form 4k+3.',
  "Does the Monty Hall answer change if the host doesn't know where the car is and just happens to open a goat door?",
  'postgres query is fast in psql but 40x slower from my app with the exact same params. likely causes?',
  'why does rust reject my get-or-insert on a HashMap when I return the reference early? the borrows look fine to me',
  'Which is bigger, 2^100 or 3^63? Show how you know without a calculator.',
  "How many times a day do a clock's hour and minute hands point in exactly opposite directions?",
  'Is the complement of the halting set recursively enumerable? Prove your answer.',
  'Why would TCP connections hang only on large responses when one hop has a smaller MTU and ICMP is blocked?',
  "Explain why Gödel's first incompleteness theorem doesn't apply to Presburger arithmetic.",
  "Can a 3x3 magic square be made entirely of distinct primes? Give one or prove it can't.",
  'Why does a mirror swap left and right but not up and down?',
  'I have two ropes that each burn for exactly an hour, but unevenly. Can I time 20 minutes with them?',
  'my go service deadlocks only when built with -race. what kinds of bugs make that happen?',
  'Why can adding more threads make a mutex-protected counter slower instead of faster?',
  'Is every continuous bijection from [0,1) onto the circle a homeomorphism? why or why not',
  'A rope round the equator is made 1 m longer and lifted evenly all round. Could a cat crawl under it?',
  'Why is the expected number of coin flips to see HTH larger than to see HHT?',

  // --- coding tasks ---
  `This passes my own tests but fails some hidden ones. Find every bug and give a fixed version:

\`\`\`python
def merge_intervals(iv):
    iv.sort()
    out = [iv[0]]
    for s, e in iv[1:]:
        if s <= out[-1][1]:
            out[-1][1] = e
        else:
            out.append([s, e])
    return out
\`\`\``,
  `why doesnt this compile and whats the cleanest fix that doesnt allocate a new String for the result?

fn longest_word(text: &str) -> &str {
    let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
    words.iter().max_by_key(|w| w.len()).unwrap()
}

I need the comparison to be case-insensitive but the returned word should keep its original case.`,
  `My overflow check gets optimised away at -O2 with gcc. Why, and can you give me correct portable versions for both addition and multiplication of ints?

bool add_overflows(int a, int b) {
    int s = a + b;
    return (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0);
}`,
  `This counter gets stuck at 1. Explain why, fix it, and then extend it so it pauses while the browser tab is hidden and resumes without drifting (it should count real elapsed seconds while visible, not ticks).

function Timer() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setCount(count + 1), 1000);
    return () => clearInterval(id);
  }, []);
  return <span>{count}</span>;
}`,
  'Implement a lock-free single-producer single-consumer ring buffer in C11 atomics. Justify every memory_order you use and explain what would break if each one were relaxed.',
  "Postgres: I have orders(customer_id, created_at timestamptz). For each customer I need their longest run of consecutive calendar days (in the customer's own time zone, stored in customers.tz) with at least one order, plus the start and end date of that run. Ties go to the most recent run.",
  'write a TypeScript type DeepReadonly<T> that works properly for arrays, tuples, Map, Set, Date and functions (functions should stay callable), and show test cases that prove it using only the type checker',
  'Write an arithmetic expression parser in Python with no libraries. It needs unary minus, right-associative ^, implicit multiplication like 2(3+4) and (1+2)(3+4), and error messages that point at the exact column. Explain how you resolved the precedence of unary minus vs ^ (is -2^2 equal to -4 or 4?).',
  "I need a sliding-window-log rate limiter in Redis that stays correct with many app servers. Give me the Lua script, explain why it is atomic, and tell me what goes wrong if the app servers' clocks disagree by a few hundred ms and how to avoid it.",
  'Java: implement an LRU cache with O(1) get/put, a per-key TTL, and an eviction listener. It must be thread-safe, and eviction listeners must never run while a lock is held. Explain how your design avoids a listener deadlocking the cache if it calls back into it.',

  // --- math, logic and quantitative reasoning ---
  'Find all positive integer solutions of x^2 - 2y^2 = 1 with x < 1000, and explain the structure that generates them rather than just listing.',
  "I'm older than my sister by as many years as she was old when I was her age now. In six years our ages will add up to 47. How old are we both? Show the reasoning, not just the answer.",
  'You roll a fair die repeatedly until you get a 6. Given that every roll you made was even, what is the expected number of rolls? Most people get this wrong, so please check your answer carefully.',
  'On an island, knights always tell the truth and knaves always lie. A says: "B and C are the same type." B says: "Either A is a knave or C is a knight." C says: "B is a knave." What is each of them? Check every case.',
  'A drug test is 99% sensitive and 95% specific, and 0.5% of employees use the drug. Someone tests positive on two independent tests. What is the probability they actually use it? Then explain why "independent" might be a bad assumption here and how that changes the answer.',
  'How many ways are there to tile a 2x10 board with 1x2 dominoes? And a 3x8 board? Derive the recurrence for the 3xn case properly.',
  'Evaluate the integral of ln(x)/(1+x^2) from 0 to infinity. Justify convergence and every substitution.',
  'me and my nephew play a game with a pile of 30 matches. we take turns, each turn you take 1, 3 or 4 matches, and whoever takes the last one wins. I go first. can I always win? what should I do each turn?',
  'How many 8-letter strings over the alphabet {A, B, C} contain no two consecutive As? Derive a recurrence and solve it, then double-check with a second method.',
  'My savings account pays 4.8% APR compounded monthly. Inflation is 3.1% a year and interest is taxed at 22%. What is my real after-tax annual return, and how many years until the purchasing power of my savings grows by 10%? Show each step.',

  // --- analysis, planning and design with trade-offs ---
  'We need a multi-region database for an app doing about 5k writes/s, with EU customer data that must stay in the EU and US data that can go anywhere. Compare Postgres with logical replication and app-level routing against CockroachDB (or a similar distributed SQL). Cover latency of cross-region transactions, failure modes, operational cost for a team of 4, and what you would pick.',
  'Design the sync layer for an offline-first notes app (rich text, shared notebooks, mobile + web). Compare CRDTs, operational transform and last-write-wins with field-level merge. What happens when two people edit the same paragraph offline for a week? What does the server need to store, and how do you do schema migrations when old clients are still out there?',
  "I run a small bakery that does well. I've got enough saved to either open a second shop in the next town or buy a van and start delivering to cafes and offices. I can't do both. Help me think it through: what could go wrong with each, what I should find out before deciding, and how I'd know after six months if I chose badly.",
  'We have a Rails monolith, 12 engineers, weekly deploys that often get rolled back, and one slow test suite (45 min). Leadership wants microservices. Make the case for and against, suggest what we should actually do in the next 6 months, and what signals would tell us splitting a service out is worth it.',
  'Plan a migration of a 40 TB self-hosted MySQL 5.7 database to Aurora MySQL 8 with less than 5 minutes of write downtime. Cover the replication approach, how you would verify the data matches, the cutover runbook, rollback, and the version upgrade gotchas.',
  'Our new onboarding flow might improve 90-day retention, but we only get about 2000 signups a month and retention is around 18%. Design an experiment that can actually tell us something in a reasonable time. Include the power calculation, whether a proxy metric is acceptable, and what we do about novelty effects.',
  "Our town has enough money to either fix up the old outdoor swimming pool or build a small new library branch on the other side of town, not both. I'm on the committee. Help me think through who gains and who loses with each option, what we might be missing, and what questions we should ask residents so the survey doesn't just favour whoever shouts loudest.",
  'For a payments ledger (wallet balances, transfers, refunds, chargebacks), compare event sourcing with a normal CRUD schema plus an append-only audit table. Think about correctness under concurrency, reporting, GDPR deletion requests, fixing bad historical events, and how each handles a bug that double-credited 300 accounts last month.',
  'We serve a product catalogue of 2M SKUs; prices change several times a day for about 5% of them, and stock levels change constantly. Pages must never show a price higher than checkout charges. Design the caching strategy (CDN, app cache, DB) and explain invalidation, what can be stale and for how long, and how you would test it.',
  "Help me work out our weekday evenings. Two adults, two cars, three kids. Maya has swimming Mon and Wed 5-6:30 across town (25 min drive each way), Leo has football Tue and Thu 5:30-7 (10 min away), and the baby has to be picked up from daycare by 6 every day. I finish work at 5:30 except Thursdays at 7. My partner finishes at 4:30 but works at the office Mon and Wed, 40 min away; the other days from home. Is there a plan where nobody is late? If not, what's the smallest change that makes it work?",

  // --- professional domains: law, medicine, finance ---
  'A 68-year-old on warfarin for atrial fibrillation (stable INR around 2.5) is diagnosed with community-acquired pneumonia and the plan is clarithromycin. What are the interaction concerns, what antibiotic alternatives would you weigh, and how should INR monitoring be adjusted during and after the course?',
  'ABG and labs: pH 7.31, PaCO2 28, HCO3 14, Na 138, Cl 100, albumin 2.0 g/dL. Work through it step by step. Is the respiratory compensation appropriate, and is there more than one acid-base process going on?',
  'In a US at-will employment state, a company rescinds a signed offer letter two days before the start date, after the candidate already resigned from their old job and signed a lease in the new city. What legal theories might the candidate have (promissory estoppel etc.), what would they need to show, and how does the at-will language in the offer affect it?',
  "We're a small UK software company planning cold emails to businesses in Germany and in the UK. Explain how legitimate interest under GDPR/UK GDPR interacts with PECR in the UK and the UWG in Germany for B2B email, where the two countries differ in practice, and what we'd need to document before sending anything.",
  'Retiring at 45 with $1.2M in a traditional 401k/IRA and $200k in taxable brokerage. Compare a Roth conversion ladder with 72(t) SEPP for bridging to 59.5: cash flow in the first 5 years, tax brackets, flexibility if markets drop 30%, and the mistakes that trigger penalties. Assume current US federal rules and say where state tax could change the answer.',

  // --- long, multi-part requests ---
  `We're building a B2B invoicing SaaS (about 300 customers now, maybe 3000 in two years). Everything is in one Postgres database with a customer_id column on every table. A few bigger customers are asking for data isolation, and one wants their data to stay in Canada.

I need help with several things:
1. Compare shared schema with row-level security, schema-per-tenant, and database-per-tenant for our situation, including what running migrations looks like at 3000 tenants.
2. How would you handle the Canadian customer without forking the whole stack?
3. Our internal reporting queries join across tenants. What breaks under each option and how would you fix it?
4. Give me a step-by-step migration plan from where we are now that needs no downtime, and point out the riskiest steps.
5. What should we monitor in the first month after the change?`,
  `Here's monthly data from our two stores (revenue in $k, foot traffic in thousands, and whether we ran a promo that month):

month | store | revenue | traffic | promo
Jan | North | 120 | 14.1 | no
Jan | South | 95 | 12.0 | no
Feb | North | 118 | 13.5 | yes
Feb | South | 101 | 12.8 | yes
Mar | North | 131 | 15.2 | no
Mar | South | 97 | 11.9 | no
Apr | North | 140 | 15.0 | yes
Apr | South | 99 | 12.1 | no
May | North | 138 | 15.9 | no
May | South | 112 | 13.7 | yes
Jun | North | 150 | 16.4 | yes
Jun | South | 104 | 12.5 | no

My boss wants to know (a) whether the promos actually worked, (b) whether South is "underperforming" or just gets less traffic, and (c) what we should test next quarter. Please be honest about what this little data can and can't tell us, show the numbers you compute, and suggest how to set up next quarter so we can really answer (a).`,
  `can you help me write a postmortem. timeline from our notes (UTC):

- 14:02 deploy of billing-service v2.31 starts (it adds a new index on invoices.customer_id, created CONCURRENTLY)
- 14:09 deploy finishes, health checks green
- 14:15 p99 latency on checkout goes from 300ms to 4s
- 14:17 on-call paged, sees DB CPU at 95%
- 14:25 rollback of billing-service to v2.30, latency doesn't improve
- 14:40 someone notices autovacuum running on invoices and kills it, latency improves slightly
- 14:52 we notice the new index is marked INVALID
- 15:05 dropped the invalid index, latency normal again by 15:08

things im unsure about: why the rollback didnt help, whether killing autovacuum was a good idea, and whether an invalid index can itself cause slowness. I need a likely root cause (and alternatives we can't rule out), contributing factors, what we did right, and 5-8 concrete action items with owners as roles not names. also flag anything in the timeline that doesnt add up.`,
  `I'm planning a small study and want a sanity check before I send it to my advisor. Question: does switching a city's bus network from hub-and-spoke to a grid layout increase ridership? I have ridership counts by stop for 3 years before and 1 year after a redesign in one city, plus the same data for two similar cities that didn't redesign.

1. What design would you use (difference-in-differences, synthetic control, something else) and why, given only 3 cities?
2. What are the biggest threats to validity (post-covid recovery timing, fare changes, etc.) and how would I check each one?
3. Should I analyse at stop, route or city level, and how do I handle stops that were moved or removed in the redesign?
4. How do I report uncertainty honestly with so few units?
5. Write a one-paragraph pre-registration statement of the main hypothesis and analysis.`,
  `I teach an intro programming course (Python, 120 students, mostly non-CS majors) and want to redo the grading. Current setup: 10 weekly autograded assignments (50%), a midterm (20%) and a final (30%). Problems: lots of copying on the assignments, the final has a very bimodal distribution, and students who start weak rarely catch up.

Please:
- propose two alternative grading schemes and compare them on fairness, workload for my 3 TAs, and how hard they are to game
- suggest how to redesign the assignments so copying helps less, without making them much harder
- tell me what the bimodal final might mean and how I could find out which explanation is right
- draft the syllabus paragraph explaining the new policy in a friendly tone
- list what could go wrong in the first term of the change`,

  // --- other hard requests ---
  'Write a Shakespearean sonnet (strict iambic pentameter, ABAB CDCD EFEF GG) about garbage collection in which the first letters of the 14 lines spell GARBAGECOLLECT. Then mark the stressed syllables in lines 1 and 9 so I can check the meter.',
  `Translate this clause into English for a US counterparty. Keep the legal meaning rather than translating word for word, and explain where terms like "grob fahrlässig" and "vertragstypischer, vorhersehbarer Schaden" don't map cleanly onto US concepts. Also: if this were in standard terms (AGB), would the cap likely hold up under German law?

"Der Auftragnehmer haftet für Schäden, die auf einer vorsätzlichen oder grob fahrlässigen Pflichtverletzung beruhen, unbeschränkt. Im Übrigen ist die Haftung auf den vertragstypischen, vorhersehbaren Schaden begrenzt, höchstens jedoch auf die Höhe der im jeweiligen Vertragsjahr gezahlten Vergütung. Die Haftung für die Verletzung von Leben, Körper oder Gesundheit bleibt unberührt."`,
  "Steelman both one-boxing and two-boxing in Newcomb's problem, then explain exactly where evidential and causal decision theory come apart, and whether the version with transparent boxes changes which answer is right.",
];

export const BLIND_SIMPLE_PROMPTS = [
  // --- short factual questions ---
  "what's the capital of australia",
  'How many legs does a spider have?',
  'who wrote pride and prejudice?',
  'What year did people first land on the moon?',
  'whats the boiling point of water in fahrenheit',
  'Which planet is closest to the sun?',
  'What is the chemical symbol for sodium?',
  'What language do they speak in Brazil?',

  // --- greetings and small talk ---
  'hi!',
  'Good morning, how are you today?',
  'thanks, that was really helpful :)',
  'hey whats up',
  'I just finished my first 5k run!! so happy',

  // --- simple rewrites ---
  "Fix the grammar: 'Me and him goes to the store every tuesdays.'",
  "make this sound friendlier: 'Send me the report by Friday.'",
  "Can you make this more formal? 'hey, cant make the meeting, something came up, sorry'",
  "Shorten this sentence: 'Due to the fact that it was raining outside, we made the decision to stay indoors for the entire afternoon.'",
  "correct the spelling pls: 'I recieved the pakage yesterday and it was definately damaged.'",

  // --- translations of a sentence ---
  "translate 'where is the train station?' into spanish",
  "How do you say 'thank you very much' in Japanese?",
  "what does 'je ne sais pas' mean",
  "Translate to German: 'I would like a coffee with milk, please.'",

  // --- unit conversions ---
  'how many cm is 5 feet',
  'Convert 350°F to Celsius.',
  'whats 2 cups in ml',
  'How many kilometres is 10 miles?',

  // --- definitions ---
  "what does 'ubiquitous' mean",
  'Define photosynthesis in one sentence.',
  "what's a haiku?",
  "What's the meaning of the word 'procrastinate'?",

  // --- simple lists ---
  'give me 5 names for a cat',
  'List the days of the week in French.',
  'suggest 3 easy dinner ideas with chicken',
  'Name the seven continents.',
  'can you give me some words that rhyme with "cat" for my kids poem',

  // --- formatting a short text ---
  'Turn this into a bulleted list: eggs, milk, bread, apples, butter, cheese',
  'put these names in alphabetical order: Zoe, Adam, Maria, Chen, Liam, Beatrice',
  'Make a table with two columns, Item and Price, from this: notebook $3, pens $2, stapler $8, tape $1.50',

  // --- summarising a short pasted paragraph ---
  `Summarise this in two sentences:

The town library will be closed from March 3 to March 17 while the heating system is replaced. During that time, books can still be returned using the drop box by the side entrance, and due dates for all loans will be extended automatically until March 24. The children's story hour will move to the community centre on Elm Street for those two weeks, at the usual time of 10 a.m. on Saturdays. Online services, including e-books and the catalogue, will not be affected. The library thanks everyone for their patience and expects to reopen with a much warmer reading room.`,
  `can you give me the main point of this in one line?

Honeybees communicate the location of food using a movement often called the waggle dance. A worker that has found a good patch of flowers returns to the hive and walks in a figure-eight pattern, waggling her body during the straight middle part. The angle of that straight run, relative to straight up on the comb, shows the direction of the food relative to the sun, and the length of the waggle shows roughly how far away it is. Other workers follow the dancer, pick up the scent of the flowers on her body, and then fly out to find the patch themselves.`,
  `tl;dr this email for me please

Hi all,
Quick update on the office move. The movers are now booked for Friday the 14th instead of the 7th, because the new building's lifts won't be certified until the 12th. Please have your desks packed into the labelled crates by 3pm on Thursday the 13th. IT will disconnect monitors and docks on Thursday evening, so plan to work from home on Friday. The new office opens on Monday the 17th and your desk numbers will be emailed on the Wednesday before. Let me know if you have any questions.
Thanks,
Facilities`,
  `Summarize this review: is the person happy or not, and why?

"I bought this kettle three weeks ago. It boils really fast and it's quieter than my old one, which I love first thing in the morning. The handle stays cool and the auto shut-off works every time. My only complaint is the lid, which is a bit stiff to open with one hand. Still, for the price I'd definitely buy it again."`,

  // --- casual advice ---
  'any tips for falling asleep faster?',
  'What should I bring on a day hike?',
  'how do i keep my basil plant from dying, it keeps wilting',
  "what's a good leaving gift for a coworker, under $30?",

  // --- technical-sounding words, easy request ---
  'what does API stand for?',
  "how do you spell 'algorithm'? i always mess it up",
  'How many bits are in a byte?',
  "What's the plural of 'matrix'?",
  'What does the S in HTTPS stand for?',
  'how do you pronounce kubernetes',
  'What file extension do Python scripts use?',
  "what's the derivative of x^2",
  'Who came up with the theory of relativity?',
  "In simple terms, what's the difference between RAM and storage?",

  // --- other everyday requests ---
  "what's 15% of 80?",
  'tell me a joke about penguins',
  'Write a short, warm birthday message for my aunt.',
  'Is a tomato a fruit or a vegetable?',
];
