// Blind evaluation set #3 for a SMALL-vs-LARGE model router.
// Written blind: composed without sight of the router, its code, its features or
// any other prompt set. Every prompt was written from scratch for this file.
// Labels reflect the author's honest judgment of whether a 7B-class open model
// would answer WELL:
//   BLIND_COMPLEX_PROMPTS (60): a 7B model would likely fail or answer poorly.
//   BLIND_SIMPLE_PROMPTS  (60): a 7B model would answer well.
// Complex kinds covered: short multi-step puzzles and word problems in plain words
// (rates, ages, clocks, calendars, probability, combinatorics, mixtures, logic);
// coding (debugging pasted Python/JS/Go/Rust, data-structure design, concurrency,
// SQL performance and gaps-and-islands, distributed rate limiting, parsing);
// analyses with trade-offs or planning (business, engineering, personal finance,
// public policy); expert judgment (law, medicine, tax, finance, science), some
// of them one short sentence; long multi-part requests; hard questions asked in
// everyday words with no jargon.
// Simple kinds covered, with deliberate traps: lookups, definitions, small talk,
// rewrites and tone changes, translations, unit conversions, one-step arithmetic,
// one-number questions, time zones, summaries of a short pasted paragraph,
// formatting (list to table, JSON, sorting), trivial code tasks, easy requests that
// sound technical or use long words, and long requests that are nonetheless easy
// (shortening a long email, fixing typos in a long text, pulling action items).

export const BLIND_COMPLEX_PROMPTS = [
  // --- Short puzzles / word problems in everyday words ---
  `The tap fills my bath in 12 minutes, and with the plug out the bath empties in 20 minutes. I turned the tap on but forgot the plug for the first 6 minutes, then put it in. How long from turning the tap on until the bath is full?`,
  `When my sister was the age I am now, I was half as old as she is today. She's 36. how old am i?`,
  `Sometime between 3 and 4 o'clock the hour hand and minute hand point in exactly opposite directions. At what time, to the nearest second?`,
  `If 1 March is a Tuesday this year, and this year isn't a leap year, what day of the week was Christmas Day last year?`,
  `I roll three normal dice. What's the chance that the biggest number showing is exactly 5?`,
  `Eight friends are sitting down at a round table. Two of them had a row and refuse to sit next to each other. How many different seating arrangements are possible, if we only care about who sits next to whom and not which chair?`,
  `Three coworkers, and exactly one of them always lies while the other two always tell the truth. Priya says "Tom is the liar." Tom says "Priya and I are both honest." Sam says "Priya is honest." Who is the liar? Show how you know.`,
  `If I walk to the station at 5 km an hour I miss my train by 6 minutes. If I walk at 6 km an hour I get there 4 minutes early. How far away is the station?`,
  `A shop put a jacket's price up by a quarter, then knocked 20% off in the sale, then added 10% tax at the till. I paid £55. What was the price before any of that?`,
  `There are 4 red socks and 6 blue socks loose in my drawer. It's dark and I grab three without looking. What's the chance I have at least one matching pair? And what's the chance I have at least two red ones?`,
  `I've got 2 litres of a drink that's 30% orange juice and the rest water. How much pure orange juice do I need to pour in to make it half orange juice?`,
  `In my pocket there are three 1p coins, two 2p coins and one 5p coin. How many different amounts could I pay exactly using one or more of them?`,

  // --- Coding ---
  `This sometimes prints less than 800000 on my machine. A colleague insists the GIL makes it impossible. Who's right and why? What's the cleanest fix that would still work if I later move to multiprocessing?

import threading
count = 0
def work():
    global count
    for _ in range(100000):
        count += 1
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(count)`,
  `Design a data structure that supports insert(x), remove(x) and getRandom() all in O(1) average time, where duplicates are allowed and getRandom must return each value with probability proportional to how many copies are stored. Implement it in Java and explain why remove stays O(1).`,
  `Postgres 15. orders has about 60M rows, with btree indexes on created_at and on customer_id. This takes ~40 seconds. Why is it slow, how would you rewrite it, and which indexes would actually help?

SELECT o.id, o.customer_id, o.total
FROM orders o
WHERE o.created_at >= now() - interval '30 days'
  AND o.total > (SELECT avg(total) FROM orders o2 WHERE o2.customer_id = o.customer_id)
ORDER BY o.created_at DESC
LIMIT 100;`,
  `this always returns an empty array, and when I hacked it to "work" the results came back in random order. I need the results in the same order as ids, with at most 5 requests in flight at any time, and one failed request shouldn't lose the others. no libraries please

async function loadAll(ids) {
  const results = [];
  ids.forEach(async (id) => {
    const res = await fetch('/api/item/' + id);
    results.push(await res.json());
  });
  return results;
}`,
  `Why does this Go program die with "fatal error: all goroutines are asleep - deadlock!"? Give me two different fixes and say which one you'd pick and why.

func main() {
    ch := make(chan int)
    var wg sync.WaitGroup
    for i := 0; i < 3; i++ {
        wg.Add(1)
        go func(n int) {
            defer wg.Done()
            ch <- n * n
        }(i)
    }
    wg.Wait()
    close(ch)
    for v := range ch {
        fmt.Println(v)
    }
}`,
  `We run 20 stateless API servers behind a load balancer and need a per-user limit of 100 requests per rolling minute, enforced globally, using Redis. Fixed windows let bursts of 200 through at the boundary, which is not acceptable. Show an implementation that's race-free under concurrent requests, explain the memory cost per user, and say what happens if Redis is briefly unreachable.`,
  `Need a Python function that takes a standard 5-field cron expression (supporting *, lists like 1,15, ranges like 9-17, and steps like */10 or 10-50/5) plus a starting datetime, and returns the next 5 times it would fire. Handle the rule where day-of-month and day-of-week are OR'd when both are restricted. Include a few tests.`,
  `Rust gives me error[E0515]: cannot return reference to local variable. What's the idiomatic fix that avoids cloning every time a longer word is found, and can you explain the lifetimes involved?

fn longest_word(words: &Vec<String>) -> &str {
    let mut best = String::new();
    for w in words {
        if w.len() > best.len() {
            best = w.clone();
        }
    }
    &best
}`,
  `Table activity(user_id int, happened_at timestamptz), several events per day per user possible. Write SQL (Postgres) that returns, for each user, their longest run of consecutive calendar days with at least one event, plus the start and end date of that run. Days should be counted in each user's own time zone, which is in users(id, tz).`,
  `I need an in-memory leaderboard for a game with about 10 million players. Operations: update a player's score, get a player's current rank, get the top 100, and get the 10 players just above and below a given player. All must be fast under heavy write load. Which data structure(s) would you use, what are the complexities, and how do you handle ties so ranks are stable?`,

  // --- Analyses with trade-offs / planning ---
  `We're a 12-person B2B SaaS at $80k MRR with about 4% monthly logo churn and a $99/month entry plan. Next quarter we can either put the whole team on reducing churn or launch a $29 self-serve tier to widen the top of the funnel. Walk through the numbers and the second-order effects, and tell me which you'd pick and what would change your mind.`,
  `Team of 6 backend devs, one Rails monolith, ~40k daily users, deploys are getting slow and two squads keep stepping on each other. The CTO wants to move to microservices this year. Argue both sides honestly and recommend a concrete path, including what you would NOT split out.`,
  `I'm 34, UK, higher-rate taxpayer. £40k in savings, mortgage at 5.1% fixed for 3 more years with 22 years left, employer matches pension up to 5% and I currently put in 3%. Should spare cash go to overpaying the mortgage, the pension, or a stocks and shares ISA? Please reason through tax relief, liquidity and risk, not just give a rule of thumb.`,
  `A mid-sized city is planning a congestion charge for its centre. How is it likely to affect small shops in the centre versus those in the suburbs, in the first year and after five years? Consider who shops by car, deliveries, footfall and what happened in places that tried it.`,
  `We have 400 TB on-prem that must be in S3 within 6 weeks. Our uplink is 1 Gbps and shared with production traffic during business hours. Is it feasible over the wire? If not, what's the plan — and how do we handle data that changes during the migration so the cut-over is consistent?`,
  `I run a small bakery. A local café chain wants 300 loaves a week at 40% below my retail price, on a 12-month contract, paid 60 days after invoice. My ovens are at about 70% capacity now. Should I take it? What numbers do I need to look at and what terms should I push back on?`,
  `Early-stage startup, $400k of runway left for engineering this year. Option A: one senior engineer at $190k. Option B: two juniors at $95k each. Our product is a data-heavy web app and the only other engineer is the technical cofounder, who is also doing sales. Which would you choose and why, and what risks come with each?`,
  `Thinking about buying a flat for €420k with 20% down, mortgage at 3.8% over 25 years. A similar place rents for €1,600 a month. I'll probably move city in 4 to 6 years. Buying costs are about 8% and selling about 3%. Is buying actually better for me than renting and investing the difference? Show the break-even logic.`,
  `Our town council wants to make all local buses free, paid for by a rise in property tax. Lay out who wins and who loses, what is likely to happen to ridership, car traffic and bus reliability, and what the evidence from cities that tried fare-free transit suggests.`,
  `We need to publish about 2,000 domain events per second from our order service to 5 downstream consumers. Option 1: Kafka (nobody on the team has run it). Option 2: a transactional outbox table in Postgres with consumers polling. Compare them on ordering guarantees, failure modes, operational cost and how each scales to 10x. Which would you start with?`,

  // --- Expert judgment ---
  `Can I take ibuprofen while I'm on lithium?`,
  `If I sell a fund at a loss in my taxable brokerage account and buy the same fund in my IRA a week later, is that a wash sale?`,
  `78-year-old woman, 58 kg, serum creatinine 1.5 mg/dL, newly diagnosed non-valvular atrial fibrillation, hypertension, no prior bleeding. Which DOAC would you choose and at what dose? Explain how the dose criteria apply to her.`,
  `California tenant here. I lived in my apartment for 8 years, moved out, and the landlord kept $2,100 of my deposit for "carpet replacement and repainting". The carpet was original when I moved in. What does the law say about this and what are my realistic options?`,
  `I'm a US citizen living in Germany, working as a freelance designer for German clients. Do I owe self-employment tax in the US, social contributions in Germany, or both? And does the foreign earned income exclusion help?`,
  `Is a non-compete I signed when selling my business enforceable in California?`,
  `My blood results came back with ferritin 600, transferrin saturation 55% and ALT slightly above normal. I'm a 45 year old man and feel fine. What could this mean, and what should be tested next?`,
  `Why did rising interest rates cause big problems for banks holding "held-to-maturity" bonds in 2023, if those bonds would be repaid in full at maturity anyway?`,
  `Inherited my dad's Roth IRA last year. Do I really have to empty it within 10 years, and do I need to take money out every year?`,
  `In England, my neighbour's oak tree roots have cracked my driveway and the tree was there before either of us bought our houses. Who is liable, what do I have to prove, and what should I do first?`,

  // --- Long multi-part requests ---
  `I'm launching a budgeting app for university students in 4 months with a team of 3 (me doing product, one iOS dev, one backend dev) and £60k. Please give me:
1. A week-by-week plan up to launch, with milestones.
2. A budget breakdown, including what to spend on marketing vs development.
3. The top 5 risks and a mitigation for each.
4. Which roles I'll need to add in the first 6 months after launch.
5. The 6 metrics I should track from day one, with target values and why.
Keep each section concrete; assume I'm based in the UK.`,
  `Draft a technical design document for a notification service that sends email, SMS and push notifications for an e-commerce platform (~5M users). Include: goals and non-goals, API design, data model, how you handle user preferences and quiet hours, retries and idempotency, rate limiting per provider, templating and localisation, observability, a rollout plan, and open questions. Use headings.`,
  `I want to start a coffee cart at a busy train station. Build me a simple business plan: startup costs (cart, machine, licence, insurance), a realistic daily sales estimate with assumptions, monthly P&L for year one, a 3-year projection, the break-even point, and the three biggest things that could sink it. Put the numbers in tables and explain each assumption.`,
  `Create a 6-week introductory statistics unit for 16-year-olds. For each week give: learning objectives, one worked example with a real-world dataset idea, a classroom activity, and homework. Then write a 15-question end-of-unit quiz with an answer key and a rubric for a final mini-project where students collect and analyse their own data.`,
  `Here are our monthly figures. Please (a) work out month-on-month growth for revenue and signups, (b) calculate revenue per signup and comment on the trend, (c) point out anything that looks off, (d) give three hypotheses for what happened in May and how I could test each, and (e) write a short email to my manager summarising it.

Month | Revenue | Signups | Marketing spend
Jan | 42,000 | 1,150 | 8,000
Feb | 45,500 | 1,210 | 8,200
Mar | 47,900 | 1,390 | 9,500
Apr | 51,200 | 1,420 | 9,800
May | 49,100 | 2,310 | 15,000
Jun | 53,800 | 1,530 | 10,100`,
  `We're about to sign a SaaS contract and I'm worried about this clause:

"Provider may modify the Services and these Terms at any time by posting an updated version on its website. Customer's continued use of the Services after such posting constitutes acceptance. Provider's aggregate liability shall not exceed the fees paid by Customer in the one (1) month preceding the claim. Customer shall indemnify Provider against all claims arising from Customer Data."

Please: identify each risk for us as the customer, rank them by severity, propose redlined wording for each, explain the reasoning behind each change in plain English, and draft a short polite note to the vendor introducing our requested changes.`,
  `Plan a 10-day trip to Japan in late March for my parents (both around 70, my dad uses a cane and can't manage lots of stairs) and me. Budget about $9,000 total excluding flights. My mum is vegetarian. We want Tokyo, Kyoto and somewhere with a hot spring. I need: a day-by-day itinerary, where to stay in each place and why, whether a rail pass is worth it for this route (show the maths), how to handle the vegetarian meals, and tips for avoiding crowds at cherry blossom season.`,
  `My master's thesis asks whether remote work increases employee productivity. Please: 1) critique the research question and suggest a sharper version, 2) propose a study design I could realistically run in 6 months with access to one company's HR data, 3) list the main confounders and how I'd deal with each, 4) estimate a sample size for detecting a 5% difference in output, stating your assumptions, and 5) outline the chapters of the thesis.`,

  // --- Hard questions in everyday words, no jargon ---
  `My friend says if you keep flipping a coin forever, the number of heads and tails will always end up exactly equal again at some point, no matter how far one side gets ahead. Is she right? And on average, how long would you have to wait?`,
  `I want my coffee as cool as possible in 5 minutes. Is it better to pour the cold milk in straight away and then wait, or wait 5 minutes and then add the milk? Why?`,
  `At my office there's one lift. When I call it from the 2nd floor of a 12-floor building, it nearly always seems to arrive going down when I want to go up. Is that just bad luck or is there a real reason?`,
  `Why does a mirror swap left and right but not up and down? And why doesn't it change if I lie on my side?`,
  `A neighbour tells me she has two kids and at least one is a boy. What are the chances both are boys? My gran says a half, my uncle says a third. Who's right, and does it matter how I found out?`,
  `People say most drivers think they're better than average, and that this proves people are deluded because it's impossible. Is it actually impossible for most people to be better than average at something?`,
  `House prices where I live go up about 5% a year and my savings earn 3%. Does that mean it's always better to buy as soon as I can, even if I have to borrow more to do it?`,
  `If every single person on Earth jumped at exactly the same moment, would the Earth move? By roughly how much?`,
  `If you could dig a tunnel straight through the middle of the Earth and jumped in, what would happen to you, and how long would it take to pop out the other side? Ignore the heat.`,
  `Say I shuffle a deck of cards properly: has that exact order ever happened before in history? And how many times do I need to shuffle by hand before the deck is really mixed?`,
];

export const BLIND_SIMPLE_PROMPTS = [
  // --- Lookups and one-number questions ---
  `capital of australia?`,
  `Who wrote Pride and Prejudice?`,
  `When did the Berlin Wall come down?`,
  `boiling point of water in fahrenheit`,
  `how many ounces in a pound`,
  `If it's 9am in London, what time is it in Tokyo?`,
  `How many days are there in a leap year?`,
  `How many players does a football team have on the pitch?`,
  `Chemical symbol for potassium?`,
  `Is a tomato a fruit or a vegetable?`,

  // --- Definitions (some sound technical or use long words) ---
  `What does "ubiquitous" mean?`,
  `Define photosynthesis in one sentence.`,
  `what is an API, in simple terms`,
  `In the context of epistemological discourse, might you kindly elucidate what is denoted by the term "tautology"?`,
  `HTTP stands for what?`,
  `My loan statement keeps saying "amortization" — what does that mean?`,
  `Explain what a blockchain is in two sentences.`,
  `What's the mitochondria's job in a cell?`,
  `What blood pressure reading counts as hypertension? Just the threshold number please.`,
  `Quick one: the legal term "habeas corpus", meaning?`,
  `Could you tell me what "e.g." stands for and when to use it instead of "i.e."?`,
  `What is meant by "compound interest"?`,

  // --- Small talk / light creative ---
  `hey! how's your day going`,
  `Thanks so much, that was really helpful 😊`,
  `Tell me a joke about cats.`,
  `Give me 5 name ideas for a golden retriever puppy.`,
  `Haiku about autumn rain?`,
  `Suggest a catchy title for my blog post about growing tomatoes on a balcony.`,
  `Short birthday message for my coworker Jen please, warm but not cheesy.`,

  // --- Rewrites, spelling, word questions ---
  `Make this sound more polite: "Send me the report by tomorrow."`,
  `Rephrase more formally: we're gonna be late cuz of the traffic, sorry`,
  `spell necesary correctly pls`,
  `What's the plural of cactus?`,
  `Give me three synonyms for "happy".`,

  // --- Translations ---
  `Translate "Where is the train station?" into Spanish.`,
  `How do you say "thank you very much" in Japanese?`,
  `Qu'est-ce que ça veut dire en anglais : « Je voudrais réserver une table pour deux personnes ce soir » ?`,

  // --- Conversions and one-step arithmetic ---
  `Convert 5 km to miles.`,
  `25°C in Fahrenheit?`,
  `what's 15% of 80`,
  `What is 144 divided by 12?`,
  `I have 3 apples and buy 4 more. How many apples do I have now?`,
  `A car drives 120 miles in 2 hours. What's its average speed?`,
  `Round 3.14159 to two decimal places.`,
  `formula for the area of a circle?`,

  // --- Formatting ---
  `Turn this list into a table with columns Name, Role, City:
- Maria Lopez, designer, Madrid
- Kenji Sato, engineer, Osaka
- Aisha Bello, product manager, Lagos
- Tom Reed, sales lead, Leeds`,
  `Sort these from smallest to largest: 42, 7, 19, 3, 88`,
  `Turn this into JSON: name John, age 30, city Paris`,
  `Put these in alphabetical order: banana, cherry, apple, mango, kiwi, grape`,

  // --- Simple code tasks (some sound technical) ---
  `Rename the variable x to total in this:

let x = 0;
for (const p of prices) {
  x += p;
}
console.log(x);`,
  `What does f(5) return?

def f(n): return n * 2`,
  `Reverse a string in JavaScript — just the one-liner please.`,
  `Write a SQL query that selects all rows from a table called users where age is over 30.`,
  `kubernetes command to list all pods in a namespace?`,
  `Git command to create and switch to a new branch called feature-login?`,

  // --- Short summary of a pasted paragraph ---
  `Summarise this in one sentence:

The city library will close for renovations from 1 June to 31 August. During this time, books can be returned to the drop box at the community centre on Elm Street, and a small pop-up branch will open in the town hall lobby on weekdays from 10am to 4pm. Online services, including e-books and the homework help chat, will continue as normal. The renovated library will have a new children's area, more study rooms and a café.`,

  // --- Long but easy ---
  `Can you shorten this email to about 3 sentences? Keep it friendly.

Hi Sarah,

I hope you had a lovely weekend and that the weather was better where you are than it was here — it rained pretty much non-stop on Saturday, which put an end to our barbecue plans, but we made the best of it with board games instead.

Anyway, the reason I'm writing is that I wanted to follow up on our conversation from last Thursday about the quarterly newsletter. As you'll remember, we talked about moving the deadline for contributions. After checking with the rest of the team, it looks like everyone is fine with moving it from the 15th to the 22nd of the month, which should give people a bit more breathing room, especially with the holidays coming up.

I also wanted to mention that Daniel has kindly offered to handle the layout this time, since Priya is on leave, so if you have any photos or graphics you'd like included, it's probably best to send them straight to him rather than to me.

Let me know if you have any questions or if anything about this doesn't work for you. Otherwise, I'll send a short note to all the contributors tomorrow morning letting them know about the new date.

Thanks so much, and talk soon!

Best wishes,
Helen`,
  `Please fix the typos and spelling mistakes in this, don't change anything else:

Our compnay was founded in 2009 by two freinds who shared a pasion for good coffee. What started as a small stall at the weekly farmers market has since grown into a chain of eleven cafes accross the region. We beleive that great coffee starts with great relationships, which is why we buy our beans directly from farmers in Colombia, Ethiopia and Guatemala and pay well above the fair trade minimum. Every cafe roasts it's own beans on site, so the coffee you drink is never more then a few days old. We are also commited to reducing waste: all of our cups are compostable, and customers who bring there own mug get 20p off every drink. We look foward to welcoming you soon!`,
  `Pull out just the action items from these meeting notes as a bullet list with the person's name:

Weekly sync, Tuesday. Present: Ana, Ben, Chloe, Dev.
Ana opened with an update on the website redesign; the new homepage is mostly done and she will send the mock-ups to the client by Friday. Ben said the budget spreadsheet is out of date, and he'll update it with the Q3 numbers before next week's meeting. There was some discussion about the office move — nothing decided yet, waiting on the landlord. Chloe mentioned the client survey results are in; she's going to write a one-page summary and share it in the team channel. Dev raised that the printer on the second floor is broken again; he'll call the repair company. Everyone agreed to keep Friday afternoons meeting-free for the rest of the month. Next meeting same time next week.`,
  `Change this paragraph from past tense to present tense:

Every morning, Lena woke up at six and walked her dog along the river. She stopped at the bakery on the corner, where the owner always saved her a warm croissant. After breakfast she cycled to the school where she taught music, and in the evenings she played the piano for an hour before bed. On Sundays she visited her grandmother, who lived in a small house by the sea.`,
];
