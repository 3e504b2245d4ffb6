// Blind routing evaluation set #2 (120 user messages).
// Labels show the writer's judgment of whether a small 7B-class open model would answer
// the message well (SIMPLE) or badly, meaning wrong, shallow or missing the point (COMPLEX).
// Written from the writer's own knowledge, without reference to any router, its code,
// its docs or its benchmarks. This is a held-out measurement set: do NOT use it for tuning.

export const BLIND_COMPLEX_PROMPTS = [
  // ---- Short hard questions in plain words (reasoning, counter-intuitive probability, puzzles) ----
  `my sister has three kids. she told me at least one of them is a girl who was born on a tuesday. whats the chance all three are girls? i said 1/8 but she says thats wrong`,

  `If I fold a square napkin in half, then in half again the other way, and snip off the one corner where all the folded edges meet, what will the napkin look like when I open it? How many holes and where?`,

  `i jog to the park at 8 km/h and walk back the same way at 4 km/h. whats my average speed for the whole trip? quick answer pls`,

  `How many times in a full 24-hour day do the hour hand and minute hand of a clock point in exactly opposite directions?`,

  `I'm thinking of a positive whole number. Three times it plus one is a perfect square, and two times it plus one is also a perfect square. What's the smallest number that works?`,

  `flipping a fair coin over and over. on average how many flips until i first see two heads in a row, vs how many until i first see a head followed by a tail? my gut says its the same for both`,

  `Six of us were at a dinner. Some pairs shook hands, some didn't, nobody shook their own hand. Afterwards I asked the other five how many hands they'd each shaken and got five different numbers, and one of them said zero. How many hands did I shake?`,

  `ive got a 4 litre bucket and a 9 litre bucket and a garden tap, no markings on either. i need exactly 6 litres. whats the fewest steps?`,

  `I bought a nice 2030 wall calendar by mistake. Is there any year before 2040 where I could hang it up and every date would fall on the right weekday?`,

  `On an island every person either always lies or always tells the truth. I met Ana and Ben. Ana said "at least one of us is a liar." Ben didn't say anything. What is each of them?`,

  `how many rectangles can you find in a tic tac toe board? like the 3x3 grid of boxes, squares count as rectangles too`,

  `A drawer has only red and blue socks. If I grab two at random, the chance both are red is exactly one half. What's the smallest number of socks the drawer could have? And what's the smallest if the number of blue socks has to be even?`,

  // ---- Multi-step tasks: plan, compare, design, trade-offs ----
  `We're trying to decide whether to buy a $520k house with 10% down at a 6.8% 30-year fixed, or keep renting a similar place for $2,650/month (rent has been going up about 4% a year). Property tax is around 1.1%, we'd guess maintenance at 1% a year, insurance $1,800/year. We'd probably move in 6-8 years. The down payment is currently sitting in an index fund. Walk me through how to compare these properly and give a rough break-even. Which assumptions matter most?`,

  `We run a single Postgres 14 primary (about 2 TB, ~6k writes/sec at peak) for a multi-tenant SaaS. The biggest tenant is ~30% of the data. We're hitting write limits and autovacuum can't keep up on the events table. Options people have floated: Citus, app-level sharding by tenant_id, moving events to ClickHouse, or just a bigger box plus native partitioning. Lay out a plan: what would you do first, what would you measure to decide, and what are the migration risks of each option?`,

  `Here's our pricing data for the last two quarters:
- Starter $19/mo: 1,240 customers, churn 6.1%/mo
- Pro $79/mo: 410 customers, churn 2.3%/mo
- Business $249/mo: 38 customers, churn 0.9%/mo
About 22% of Starter customers hit the 3-seat limit every month. We're considering either raising Starter to $29 or adding a $49 "Team" tier with 10 seats. Which would you do and why? Show me the rough revenue math and tell me what could go wrong with each.`,

  `Our checkout page gets about 1,800 sessions a week with a 3.2% conversion rate. Marketing wants to A/B test a redesign and "call it in two weeks". Is that realistic for detecting a 10% relative lift? If not, what should we do instead? Design the test for me: sample size, how long to run it, stopping rules, and how to deal with the fact that weekends convert very differently from weekdays.`,

  `helping my partner pick between two offers and we're going in circles.
A: public company, $185k base, 10% bonus, $120k RSUs over 4 years, hybrid 3 days/week, 40 min commute each way
B: series B startup, $160k base, no bonus, 0.15% in options (strike $2.10, last preferred price $9.40, ~60M fully diluted shares), fully remote
shes 34, we have a toddler and right now hers is the only income. give me a framework and your honest take, including how to actually value those options and what questions she should ask the startup before deciding`,

  `Our city (about 400k people) is debating a downtown congestion charge of $8/day. Write me a balanced briefing for a council member: the strongest argument for, the strongest argument against, what the evidence from places that tried it actually shows, who ends up bearing the cost, and which design choices make the biggest difference. Then give your own recommendation in one paragraph.`,

  `Write a 12-sentence story where each sentence starts with the next letter of the alphabet beginning with A (so A through L), the word "red" never appears, one character tells a lie in sentence 4 that the reader only realises is a lie in sentence 11, and the final sentence is exactly seven words long.`,

  `We're building a ledger for a small payments startup (wallet balances, top-ups, transfers between users, refunds, chargebacks). One engineer wants event sourcing, another wants plain CRUD tables with an audit log. Compare the two for our case specifically: correctness under concurrent transfers, how you'd rebuild a balance, reporting, schema changes over time, and team skill (4 devs, none have done event sourcing). What would you choose and how would you make the other option's main risk go away?`,

  `I need a weekly rota for a small food bank and I keep getting stuck.
Shifts: Mon, Wed, Fri, Sat mornings. Mon/Wed/Fri need 2 people each, Sat needs 3.
Volunteers:
- Priya: not Mondays, max 2 shifts
- Tom: only Wed or Sat
- Grace: any day, wants exactly 2 shifts
- Ali: any day except Sat; his first shift must be with an experienced person (Priya or Grace)
- Joan: Mon or Fri only, max 1 shift
- Dev: any day, max 3 shifts
- Lena: Sat only, max 1
Tom and Dev can't be on the same shift. Give me a rota that satisfies everything, or tell me exactly which constraint has to give.`,

  `Compare the fiscal problems that pushed the French crown toward 1789 with the money problems of Charles I before the English Civil War. How similar were they really, and where does the comparison break down? I want an argued answer with a clear thesis, not two bullet lists side by side.`,

  `We're a 3-location bakery-cafe (about 40 staff total). Net margin dropped from 11% to 4% over 18 months. Flour and butter costs are up ~30%, wages up 15%, foot traffic is flat, average ticket is up 6%. The owner wants to open a 4th location to "spread our fixed costs". Give me a structured analysis: is that reasoning sound, what would you check first in the numbers, and what are three alternative moves with their risks?`,

  `Design the notification system for a mobile app with about 5M daily active users: push, email and in-app. It needs per-user channel preferences, quiet hours in the user's own time zone, de-duplication, per-user rate limits, retries, and an audit trail. Give me the components, the data model, and explain how you'd handle a push-provider outage without double-sending once it recovers.`,

  // ---- Code: subtle bugs in pasted snippets, non-trivial implementation, concurrency/performance ----
  `this sometimes hangs forever, and when it doesn't hang the results slice is missing items. what's wrong?

func fetchAll(urls []string) []Result {
    var wg sync.WaitGroup
    results := make([]Result, 0, len(urls))
    for _, u := range urls {
        wg.Add(1)
        go func(wg sync.WaitGroup, u string) {
            defer wg.Done()
            r := fetch(u)
            results = append(results, r)
        }(wg, u)
    }
    wg.Wait()
    return results
}`,

  `This logs "saved 0 items" every time even though the rows show up in the database:

async function saveAll(items) {
  let saved = 0;
  items.forEach(async (item) => {
    await db.insert(item);
    saved++;
  });
  console.log('saved ' + saved + ' items');
  return saved;
}

A coworker changed it to a for...of loop with await and now the nightly job (about 20k items) takes 40 minutes. Our DB pool allows max 10 connections. Give me a version that's correct AND fast without adding a library, and make it so one bad item doesn't kill the batch but we still get a list of which ones failed.`,

  `My binary search hangs on some inputs and returns the wrong index on others. It's supposed to return the index of the first element >= target in a sorted list (or len(a) if there isn't one).

def first_at_least(a, target):
    lo, hi = 0, len(a) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < target:
            lo = mid
        else:
            hi = mid - 1
    return lo

Fix it and explain each change, plus give me the test cases that would have caught these bugs.`,

  `works perfectly in debug builds, but in release it crashes randomly or the first order's status is just wrong. c++17, gcc 12

struct Order { int id; std::string status; };

std::vector<Order> load_orders(const std::vector<int>& ids) {
    std::vector<Order> orders;
    Order& head = orders.emplace_back(Order{ids[0], "pending"});
    for (size_t i = 1; i < ids.size(); ++i) {
        orders.push_back(Order{ids[i], "pending"});
    }
    head.status = "priority";
    return orders;
}`,

  `We call increment() from 16 threads, a million times each, and the final count is always a bit short of 16 million. It's synchronized, so how is that possible??

public class Counter {
    private Integer count = 0;

    public void increment() {
        synchronized (count) {
            count++;
        }
    }

    public int get() {
        synchronized (count) {
            return count;
        }
    }
}`,

  `This query returns zero rows, but I know for a fact we have plenty of customers who haven't ordered in the last 90 days. Postgres.

SELECT c.id, c.email
FROM customers c
WHERE c.id NOT IN (
  SELECT o.customer_id
  FROM orders o
  WHERE o.created_at > now() - interval '90 days'
);

(orders.customer_id is nullable because we allow guest checkout.) Why, and what's the best way to rewrite it?`,

  `Write a Python function that takes a list of people, each with a weekly availability written in their own local time (strings like "Mon 09:00-17:00", possibly several per day) and an IANA time zone like "America/Chicago" or "Europe/Berlin", and returns every 30-minute slot in a given week when all of them are free, in UTC. It has to be correct when the week crosses a daylight-saving change in one zone but not the others. Include tests that cover that DST case.`,

  `Why is my Python script slower with 8 threads than with 1? It computes SHA-256 of about 2 million short strings and then runs a couple of regexes on each. I also tried multiprocessing.Pool and for small batches it was even slower than the single-threaded version. Explain what's actually going on in each case and how I should structure it to use all 8 cores.`,

  `the autosave in our editor keeps saving an old version of the draft, like the text from when the page first loaded. what am i doing wrong?

function useDebounced(fn, delay) {
  const t = useRef();
  return useCallback((...args) => {
    clearTimeout(t.current);
    t.current = setTimeout(() => fn(...args), delay);
  }, [delay]);
}

function Editor() {
  const [draft, setDraft] = useState(initialText);
  const save = useDebounced(() => api.save(draft), 800);
  return <textarea value={draft} onChange={e => { setDraft(e.target.value); save(); }} />;
}`,

  `This Django view takes about 40 seconds for 3,000 orders. Make it fast and explain each change.

def report(request):
    start = timezone.now() - timedelta(days=30)
    rows = []
    for order in Order.objects.filter(created__gte=start):
        rows.append({
            "id": order.id,
            "customer": order.customer.name,
            "region": order.customer.region.name,
            "items": order.items.count(),
            "total": sum(i.price * i.qty for i in order.items.all()),
        })
    return JsonResponse(rows, safe=False)`,

  `Why won't this compile, and what's the idiomatic fix? I want it to be case-insensitive.

fn longest_word(text: &str) -> &str {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let mut best = "";
    for w in &words {
        if w.len() > best.len() {
            best = w;
        }
    }
    best
}`,

  `Implement a thread-safe in-memory cache in Go with LRU eviction, a per-entry TTL, and O(1) get/put. When a key is missing, the cache should call a loader function, but if 50 goroutines ask for the same missing key at once, the loader must run only once and nobody should hold the main cache lock while the loader runs. Explain the design choices and include a test that shows the loader is only called once under concurrency.`,

  // ---- Pasted material needing real analysis (contracts, logs, tables, statements) ----
  `We're the customer in this SaaS agreement (they'll host all our customer data). Legal is out this week, can you flag anything that should worry us?

9.2 Except for Supplier's obligations under Clause 11 (Indemnities), breach of Clause 12 (Confidentiality), or Customer's payment obligations, neither party's aggregate liability arising out of or in connection with this Agreement shall exceed the fees paid by Customer in the twelve (12) months preceding the event giving rise to the claim.

9.3 Neither party shall be liable for any loss of profits, loss of data, loss of goodwill, or any indirect or consequential loss, however arising.

11.1 Supplier shall indemnify Customer against all losses arising from any third-party claim that the Services infringe that third party's intellectual property rights.`,

  `just got my offer letter, this is in the IP section. i'm in california and i build a little indie game on weekends on my own laptop. should i be worried?

"Employee agrees that all Inventions conceived, developed, or reduced to practice by Employee, alone or jointly, during the period of employment, whether or not during working hours and whether or not using Company resources, shall be the sole property of the Company. Employee shall promptly disclose all such Inventions to the Company. Employee has listed on Exhibit A all prior inventions; if none are listed, Employee represents there are none."`,

  `Our API pod won't come up after today's deploy. Nothing changed in the resource limits. What's going on?

$ kubectl get pods
NAME                    READY   STATUS             RESTARTS   AGE
api-7d9f8b6c5-x2k4q     0/1     CrashLoopBackOff   7          14m
api-7d9f8b6c5-p9zt1     0/1     CrashLoopBackOff   7          14m

$ kubectl describe pod api-7d9f8b6c5-x2k4q
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
    Limits:  memory: 1Gi
Events:
  Warning  Unhealthy  Liveness probe failed: Get "http://10.2.3.14:8080/healthz": dial tcp 10.2.3.14:8080: connect: connection refused
  Normal   Killing    Container api failed liveness probe, will be restarted

$ kubectl logs api-7d9f8b6c5-x2k4q --previous
2024-05-02T10:14:03Z INFO  starting api v2.31.0
2024-05-02T10:14:03Z INFO  running database migrations before starting http server
2024-05-02T10:14:03Z INFO  acquiring migration advisory lock
2024-05-02T10:14:33Z INFO  still waiting for migration lock (30s)
2024-05-02T10:15:03Z INFO  still waiting for migration lock (60s)`,

  `My manager says Alex is clearly the better closer and wants to give Alex all the big enterprise accounts next quarter. Does this data actually support that?

Rep   | Deal size | Deals worked | Deals won
Alex  | Small     | 120          | 90
Alex  | Large     | 40           | 10
Jordan| Small     | 35           | 28
Jordan| Large     | 150          | 45`,

  `My dad's doctor wants him to start a new cholesterol drug. The leaflet says it "reduces heart attacks and strokes by 37%". I found the trial: 4,000 people on the drug, 4,000 on placebo, followed for 3 years. Heart attack or stroke: 2.0% on the drug vs 3.2% on placebo. Muscle problems bad enough to stop the drug: 1.5% vs 0.5%. Can you work out what these numbers actually mean for one person like him, and help me think about whether the trade-off is worth it?`,

  `Thinking of investing in this small manufacturer. Numbers in $ millions. Anything jump out? Please calculate free cash flow and days sales outstanding for both years.

                      2022    2023
Revenue               48.0    61.5
Net income             4.2     6.9
Accounts receivable    7.9    18.4
Inventory              6.1     9.8
Operating cash flow    5.6     1.1
Capital expenditure    2.0     3.4`,

  `We get sporadic 502s from nginx, roughly 0.3% of requests, and they cluster right after quiet periods (early morning, after lunch). The app is Node 18 behind nginx on the same box, upstream block has "keepalive 64;". This is the error every time:

2024/03/11 06:02:17 [error] 3121#3121: *88213 upstream prematurely closed connection while reading response header from upstream, client: 10.0.4.21, server: api.example.com, request: "GET /v1/orders?page=2 HTTP/1.1", upstream: "http://127.0.0.1:3000/v1/orders?page=2"

App logs show nothing for those requests. What's the likely cause and how do I fix it properly?`,

  `Why is this so slow? There's an index on account_id AND one on created_at.

Query: SELECT * FROM events WHERE account_id = 4821 ORDER BY created_at DESC LIMIT 20;

Limit  (cost=0.43..1245.88 rows=20 width=212) (actual time=4812.331..4812.402 rows=20 loops=1)
  ->  Index Scan Backward using events_created_at_idx on events  (cost=0.43..982113.20 rows=15772 width=212) (actual time=4812.329..4812.396 rows=20 loops=1)
        Filter: (account_id = 4821)
        Rows Removed by Filter: 3120554
Planning Time: 0.210 ms
Execution Time: 4812.455 ms

Other accounts return instantly with the same query.`,

  `I'm reviewing this paragraph from a colleague's op-ed draft. Which step in the argument is weakest, and how could she fix it without changing her conclusion?

"Schools that adopted the four-day week saw average test scores rise by 4% within two years. Among the 60 districts that switched, only 5 later reverted, which shows how satisfied communities are with the change. Teachers in these districts also report lower burnout. Since our district struggles with both scores and teacher retention, adopting a four-day week is the obvious choice, and anyone opposing it is ignoring the evidence."`,

  `works fine on our linux server, fails on my new macbook. same python 3.11, same requirements. help

CONFIG = None

def score(row):
    w = CONFIG["weights"][row.kind]
    return w * row.value

if __name__ == "__main__":
    CONFIG = load_config("cfg.yaml")
    rows = load_rows()
    with Pool(8) as p:
        out = p.map(score, rows, chunksize=500)

multiprocessing.pool.RemoteTraceback:
"""
Traceback (most recent call last):
  File "/Library/Frameworks/Python.framework/Versions/3.11/lib/python3.11/multiprocessing/pool.py", line 125, in worker
    result = (True, func(*args, **kwds))
  File "/Library/Frameworks/Python.framework/Versions/3.11/lib/python3.11/multiprocessing/pool.py", line 48, in mapstar
    return list(map(*args))
  File "/Users/sam/proj/run.py", line 5, in score
    w = CONFIG["weights"][row.kind]
TypeError: 'NoneType' object is not subscriptable
"""`,

  `ok so here are my debts and i can put an extra $900/month toward them on top of the minimums. avalanche or snowball? roughly how many months until im debt free each way and how much interest would i pay in total? show ur working

credit card A: $6,200 at 24.9%, min $186
credit card B: $1,400 at 19.5%, min $45
car loan: $11,800 at 7.2%, min $340
student loan: $18,500 at 5.1%, min $210`,

  `First-time restaurant owner here, about to sign a 10-year lease. Which of these clauses is the most dangerous for me and what should I counter-propose?

14.1 Tenant shall, at Tenant's sole cost, keep the Premises in good repair, including without limitation all structural elements, the roof, and the replacement of HVAC equipment, regardless of the cause of any damage.

18.3 Landlord may relocate Tenant to other premises within the Shopping Center of substantially similar size upon sixty (60) days' written notice.

22.1 Guarantor unconditionally guarantees all obligations of Tenant under this Lease, including under any renewal, extension, assignment, or amendment hereof, whether or not Guarantor receives notice thereof or consents thereto.`,

  // ---- Expert judgment: nuanced medical, legal, financial situations ----
  `My mom is 71, on warfarin for atrial fibrillation, and has stage 3 kidney disease. Her knee arthritis is getting bad. A friend told her to take ibuprofen plus turmeric capsules, and a neighbour swears by glucosamine. What's actually reasonable for her to try for the pain, what should she avoid, and what should she ask her doctor?`,

  `My TSH came back 3.9 with a normal free T4, and my TPO antibodies are positive. We're trying to conceive and I had a miscarriage at 8 weeks last year. My GP says it's "within normal range, don't worry about it." Is that right, or is there a case for treatment?`,

  `I'm one of two cofounders. We each got 4M shares 8 months ago with 4-year vesting and a 1-year cliff. I just realised neither of us ever filed an 83(b). Last month we raised a SAFE at an $8M post-money cap. What's our actual tax exposure, and is there anything we can still do about it?`,

  `I make about $240k, my wife makes $90k, we file jointly. I have $65k in a rollover IRA from an old 401k and want to do a backdoor Roth this year. My wife has no IRAs at all. What's the cleanest way to do this for me, and can she do one too?`,

  `My dad died in March and left me his house. He bought it in 1994 for $140k and it was appraised at $610k as of his death. I moved in this June. If I sell next year for around $650k, roughly how much capital gains tax would I owe? Does it matter that I've been living in it?`,

  `im on sertraline 150mg. dentist just gave me tramadol for after my root canal, and i also take sumatriptan for migraines maybe twice a month. the pharmacist looked kind of worried when she saw all three. how worried should i be and what should i actually watch out for`,

  `I work in the UK and my employer is being bought by a larger firm. My contract gives me 25 days' holiday and enhanced redundancy pay of 4 weeks per year of service (I have 9 years). The buyer says they'll "harmonise terms" to their standard 20 days and statutory redundancy about six months after the transfer. Can they actually do that? What are my options?`,

  `I'm a US citizen moving to Germany on a local employment contract, salary €85k. Should I use the foreign earned income exclusion or the foreign tax credit on my US return? I'd also like to keep contributing to my Roth IRA if possible.`,

  `We're a small B2B SaaS company in the Netherlands. Our sales lead wants to scrape LinkedIn for prospects' work emails and put them into an automated cold-email sequence, under "legitimate interest". Is that defensible under GDPR and Dutch law? If we do some version of it, what would we need to put in place?`,

  `I'm 44. LDL 148, HDL 52, triglycerides 110, blood pressure normal, never smoked. But my lipoprotein(a) came back at 190 nmol/L and my dad had a heart attack at 51. The 10-year risk calculator gives me 3.1%, so my doctor says no statin. Should the Lp(a) and family history change that decision?`,

  `On Nov 28 I sold 300 shares of XYZ at a $12k loss in my taxable brokerage account. On Dec 10 my IRA's automatic dividend reinvestment bought 4 shares of XYZ, and on Dec 15 I sold a cash-secured put on XYZ in the taxable account. Which of these cause wash sale problems and what happens to my loss?`,

  `I'm 58 and remarried. I have two adult children from my first marriage and my wife has one. Our house is in joint names (worth about £700k), and I want my half to go to my kids eventually, but my wife must be able to live there for the rest of her life. We're in England. Is a simple will enough, or what should we be thinking about?`,
];

export const BLIND_SIMPLE_PROMPTS = [
  // ---- Short factual questions ----
  `what's the capital of australia`,

  `How many bones are in the adult human body?`,

  `who wrote pride and prejudice`,

  `What year did the Berlin Wall fall?`,

  `whats the biggest planet in our solar system`,

  `What does NASA stand for?`,

  `how many ounces in a pound`,

  `What's the chemical symbol for gold?`,

  // ---- Greetings and small talk ----
  `hi`,

  `good morning! how's it going?`,

  `thanks so much, that was really helpful :)`,

  `haha ok you're kinda funny`,

  `Hey, what should I call you?`,

  `im bored lol tell me a joke`,

  `Happy Friday!! 🎉 any fun plans for the weekend?`,

  // ---- Simple rewriting and translation ----
  `fix the grammar: me and him goes to the store yesterday and buyed some apples`,

  `Can you make this sound friendlier? "Your request has been received. Do not reply to this email. We will contact you if necessary."`,

  `translate to spanish: where is the nearest train station?`,

  `Rewrite this more formally, it's an email to my professor: hey, cant make it to class tmrw, im sick. can u send the slides?`,

  `Make this shorter: In light of the fact that we are currently experiencing a higher than usual volume of customer inquiries at this point in time, response times may be longer than they would normally be.`,

  `What does this mean in English? "Je voudrais un café au lait, s'il vous plaît."`,

  `Change this to active voice: The cake was eaten by the children before the party started.`,

  `turn this into a tweet: We're excited to announce that our downtown store will be extending its hours to 9pm on weekdays starting next Monday, so you can shop after work.`,

  // ---- Summarising / extracting from a short pasted paragraph ----
  `Summarize this in one sentence: The city library will close for renovations from March 1 to June 30. During this time, books can be returned at the community center on Elm Street, and the bookmobile will visit neighborhoods on Tuesdays and Saturdays. The renovated library will feature a larger children's area, new study rooms, and updated computers.`,

  `pull out all the dates from this: Registration opens on April 3 and closes April 20. The first workshop is May 2, the second is May 16, and the final showcase is on June 7.`,

  `Who is this email from and what do they want?

Hi Tom, it's Rachel from accounting. Could you send me the receipts for your March travel expenses by Friday? I can't process your reimbursement without them. Thanks!`,

  `Extract just the email addresses from this list:
John Smith - john.smith@example.com - Sales
Priya Patel - priya.p@example.org - Marketing
Luis Gomez - (no email on file) - Support
Anna Berg - anna.berg@example.net - Finance`,

  `tl;dr pls: The AeroLite 3 is a lightweight carry-on suitcase weighing just 2.1 kg. It has four 360-degree spinner wheels, a TSA-approved combination lock, a water-resistant polycarbonate shell, and an expandable zipper that adds 15% more packing space. It comes in five colors and has a 10-year warranty.`,

  `What ingredients are mentioned here? Start by sautéing an onion and two cloves of garlic in olive oil. Add a can of chopped tomatoes, a pinch of salt and some fresh basil, then simmer for 20 minutes and stir in a splash of cream.`,

  `What's the main point of this paragraph? Photosynthesis takes place mainly in the chloroplasts of plant cells, where chlorophyll absorbs light energy. This energy is used to convert carbon dioxide and water into glucose, with oxygen released as a by-product. The glucose then fuels the plant's growth and other metabolic processes.`,

  // ---- Simple how-to ----
  `how long do i boil an egg for a runny yolk`,

  `Convert 350 degrees Fahrenheit to Celsius.`,

  `how many cups in a liter`,

  `What's the easiest way to get sticker residue off glass?`,

  `How do I clean a microwave that has dried-on gunk inside?`,

  `how do i tie a windsor knot? step by step pls`,

  `How do I take a screenshot on a Windows laptop?`,

  // ---- Simple code / basic commands (technical words, but easy) ----
  `how do i reverse a string in python`,

  `what does ls -la do in the terminal`,

  `git: how do I undo my last commit? I haven't pushed it yet and I want to keep the changes.`,

  `JavaScript one-liner to sum an array of numbers?`,

  `What does chmod +x script.sh do?`,

  `SQL query to count how many rows are in a table called users`,

  `What's the difference between HTTP status codes 404 and 500?`,

  `what does this return if I call add(2, 3)?

def add(a, b):
    return a + b`,

  // ---- Lists and brainstorming ----
  `give me 10 names for a grey kitten`,

  `gift ideas for my dad? he likes fishing and coffee, budget about $50`,

  `Ideas for a 7-year-old's birthday party theme?`,

  `need a fun name for our office trivia team, we're all accountants`,

  `What can I make for dinner with chicken, rice and broccoli?`,

  `things to do with kids on a rainy day at home`,

  `Give me 5 icebreaker questions for a team meeting.`,

  // ---- Long-looking but easy requests ----
  `Can you shorten this email to about 3 sentences? Keep it polite.

Hi everyone,

I hope this message finds you well and that you all had a restful weekend. I wanted to reach out to all of you regarding the upcoming quarterly all-hands meeting, which, as many of you already know, is something we hold every three months in order to bring the entire team together and share updates across departments.

This quarter's meeting will take place on Thursday, October 17th, starting at 2:00 PM and running until approximately 4:00 PM. Please note that the location has changed from what was originally communicated: instead of the large conference room on the third floor, we will now be meeting in the auditorium on the ground floor, since we expect a larger turnout this time given the new hires who have joined us over the past few months.

We would greatly appreciate it if each department head could prepare a brief five-minute update on their team's progress, key wins, and any challenges. Slides are optional but encouraged. If you do plan on using slides, please send them to me no later than Tuesday, October 15th, so that we can load everything onto the presentation laptop ahead of time and avoid any technical difficulties on the day.

Light refreshments will be provided. If you have any dietary restrictions, please let me know by the end of this week.

Thank you all so much, and I look forward to seeing everyone there!

Best regards,
Maria`,

  `can u double this recipe for me, just the quantities, thx

Banana Bread
Ingredients:
- 3 ripe bananas, mashed
- 1/3 cup melted butter
- 3/4 cup sugar
- 1 egg, beaten
- 1 teaspoon vanilla extract
- 1 teaspoon baking soda
- pinch of salt
- 1 1/2 cups all-purpose flour
- 1/2 cup chopped walnuts (optional)

Instructions:
1. Preheat the oven to 350°F (175°C) and butter a 4x8-inch loaf pan.
2. In a mixing bowl, mash the ripe bananas with a fork until completely smooth. Stir the melted butter into the mashed bananas.
3. Mix in the baking soda and salt. Stir in the sugar, beaten egg, and vanilla extract. Mix in the flour.
4. Fold in the walnuts if using.
5. Pour the batter into the prepared loaf pan. Bake for 55 to 65 minutes, until a toothpick inserted into the center comes out clean.
6. Let cool in the pan for a few minutes, then turn out and cool completely before slicing.`,

  `Here are my notes from today's meeting. Can you just list the action items with who owns each one?

Product sync - Wed
Attendees: Sam, Keiko, Raj, Beth
- Sam gave an update on the onboarding redesign. Usability tests went well, 4 of 5 users finished without help.
- ACTION: Sam to share the test recordings with the team by Friday.
- Keiko said the analytics dashboard is still missing the new signup events.
- ACTION: Raj to add the signup events to the tracking plan.
- Long discussion about the pricing page copy, no decision yet.
- ACTION: Beth to draft two versions of the pricing page headline for next week.
- Raj mentioned the staging server has been slow; not urgent.
- ACTION: Keiko to book a room for the quarterly planning session.
- Next sync moved to Thursday.`,

  `Please change the server port from 8080 to 9090 in this config and give me the whole thing back. Nothing else should change.

server:
  host: 0.0.0.0
  port: 8080
  read_timeout: 30s
  write_timeout: 30s
  max_header_bytes: 1048576
database:
  driver: postgres
  host: db.internal
  port: 5432
  name: inventory
  user: inventory_app
  pool:
    max_open: 25
    max_idle: 5
    conn_max_lifetime: 5m
logging:
  level: info
  format: json
  output: stdout
metrics:
  enabled: true
  path: /metrics
features:
  new_checkout: false
  bulk_import: true
  audit_log: true`,

  `I'm reusing my cover letter for another job. Please replace "Acme Logistics" with "Brightline Freight" everywhere and change the date to May 6, 2024. Don't change anything else.

April 22, 2024

Dear Hiring Manager,

I am writing to express my interest in the Operations Coordinator position at Acme Logistics. With four years of experience coordinating shipments and managing vendor relationships, I am confident that I can contribute to the continued success of Acme Logistics.

In my current role at Harbor Supply Co., I oversee the scheduling of more than 200 deliveries per week and work closely with drivers, warehouse staff and customers to resolve issues quickly. Last year I introduced a shared tracking spreadsheet that reduced missed delivery windows by 18%.

I admire Acme Logistics's commitment to reliable service and would welcome the opportunity to bring my organisational skills to your team. Thank you for considering my application. I look forward to hearing from you.

Sincerely,
Daniel Okafor`,

  `what time did the first ERROR show up in this log?

2024-06-03 08:00:01,112 INFO  scheduler  Job 'nightly-sync' started
2024-06-03 08:00:01,530 INFO  sync       Fetching records from upstream (batch 1/12)
2024-06-03 08:00:44,201 INFO  sync       Batch 1 ok (500 records)
2024-06-03 08:01:29,877 INFO  sync       Batch 2 ok (500 records)
2024-06-03 08:02:10,332 INFO  sync       Batch 3 ok (500 records)
2024-06-03 08:02:51,090 INFO  sync       Batch 4 ok (500 records)
2024-06-03 08:03:30,615 INFO  sync       Batch 5 ok (500 records)
2024-06-03 08:03:47,902 WARN  sync       Slow response from upstream (4.2s)
2024-06-03 08:04:09,118 INFO  sync       Batch 6 ok (500 records)
2024-06-03 08:04:10,044 ERROR sync       Batch 7 failed: HTTP 503 from upstream
2024-06-03 08:04:10,045 INFO  sync       Retrying batch 7 in 30s
2024-06-03 08:04:40,301 INFO  sync       Batch 7 ok (500 records)
2024-06-03 08:05:22,764 INFO  sync       Batch 8 ok (500 records)
2024-06-03 08:06:02,419 ERROR db         Deadlock detected on table sync_state, retrying
2024-06-03 08:06:02,980 INFO  db         Retry succeeded
2024-06-03 08:06:45,551 INFO  scheduler  Job 'nightly-sync' finished`,

  `put these names in alphabetical order by last name please

Maria Lopez
James O'Connor
Aisha Bello
Tom Nguyen
Sarah Fitzgerald
Kenji Watanabe
Olga Petrova
David Kim
Emma Schultz
Carlos Alvarez
Fatima Haddad
Liam Murphy
Grace Chen
Noah Fischer
Zoe Turner`,

  `This code works fine, I just want you to rename the variable x to total_price everywhere so it's readable. Don't change anything else.

def calculate_order(items, tax_rate, discount_code=None):
    x = 0
    for item in items:
        x += item["price"] * item["quantity"]
    if discount_code == "SAVE10":
        x = x * 0.9
    elif discount_code == "SAVE20":
        x = x * 0.8
    x = x + x * tax_rate
    return round(x, 2)


def print_receipt(items, tax_rate, discount_code=None):
    x = calculate_order(items, tax_rate, discount_code)
    for item in items:
        print(item["name"], item["quantity"], item["price"])
    print("Total:", x)`,
];
